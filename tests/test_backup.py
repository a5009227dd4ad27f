"""`flask backup` / `flask restore`: a populated instance round-trips, and after restoring an
older backup a device whose cursor is ahead resets and re-sends what the server lost, which is
applied (not taken for a duplicate), under sequence numbers it never saw before."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from photos import tus
from photos.images import jpeg, sha256

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def visit(village_id: str, photos: list[dict] | None = None) -> dict:
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "visit",
        "record_id": str(uuid.uuid4()),
        "op": "create",
        "fields": {"village_id": village_id, "visited_at": "2026-03-01T09:30:00+07:00"},
    }
    if photos:
        mutation["photos"] = photos
    return mutation


class Phone:
    def __init__(self, client, auth):
        self.client, self.auth = client, auth
        self.cursor = "0"

    def push(self, *mutations) -> list[str]:
        body = {"device_id": self.auth["X-Device-Id"], "mutations": list(mutations)}
        response = self.client.post("/api/sync/push", json=body, headers=self.auth)
        assert response.status_code == 200, response.get_json()
        return [r["status"] for r in response.get_json()["results"]]

    def pull_page(self) -> dict:
        response = self.client.get(f"/api/sync/pull?cursor={self.cursor}", headers=self.auth)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def pull(self) -> dict[str, dict]:
        """Pull to the end; the changes by record id, the latest of each."""
        seen = {}
        while True:
            page = self.pull_page()
            assert not page.get("reset"), page
            seen |= {change["id"]: change for change in page["changes"]}
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return seen


@pytest.fixture
def phone(client, make_user, login):
    return Phone(client, login(make_user()))


def test_restoring_an_older_backup_resets_devices_ahead_and_takes_their_outbox_back(
    app, runner, phone, make_village, tmp_path: Path
):
    village = make_village()
    photo = jpeg((320, 240))
    assert tus.upload(phone.client, phone.auth, photo).status_code == 204
    before = visit(village.id, photos=[{"sha256": sha256(photo)}])
    assert phone.push(before) == ["applied"]
    phone.pull()
    early = Phone(phone.client, phone.auth)  # a device that synced before the backup only
    early.cursor = phone.cursor

    backup_dir = tmp_path / "backup"
    made = runner.invoke(args=["backup", str(backup_dir)])
    assert made.exit_code == 0, made.output
    assert "1 photos" in made.output

    # After the backup, the server commits a push whose answer never reached the phone:
    # it is still in the phone's outbox.
    lost_answer = visit(village.id)
    phone.push(lost_answer)
    phone.pull()
    cursor_before_restore = int(phone.cursor)

    refused = runner.invoke(args=["restore", str(backup_dir)])
    assert refused.exit_code != 0 and "--force" in refused.output
    shutil.rmtree(app.config["PHOTO_DIR"])  # the disk was lost with the database
    restored = runner.invoke(args=["restore", str(backup_dir), "--force"])
    assert restored.exit_code == 0, restored.output

    reset = phone.pull_page()
    assert reset["reset"] is True and reset["reason"] == "cursor_ahead"
    phone.cursor = reset["cursor"]
    seen = phone.pull()
    assert before["record_id"] in seen and lost_answer["record_id"] not in seen

    # The outbox goes again: the restored server never saw it, so it is applied, not a
    # duplicate; what the backup holds is a duplicate.
    assert phone.push(lost_answer, before) == ["applied", "duplicate"]
    change = phone.pull()[lost_answer["record_id"]]
    assert change["seq"] > cursor_before_restore  # no number handed out twice

    # A device that last synced before the backup pulls on without a reset.
    assert lost_answer["record_id"] in early.pull()

    thumb = phone.client.get(f"/api/photos/{sha256(photo)}/thumb", headers=phone.auth)
    thumb.close()
    assert thumb.status_code == 200


def test_backup_and_restore_refuse_clearly(runner, tmp_path: Path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    assert "not empty" in runner.invoke(args=["backup", str(tmp_path / "full")]).output
    assert "no fieldapp backup" in runner.invoke(args=["restore", str(tmp_path)]).output
