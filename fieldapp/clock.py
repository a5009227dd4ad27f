"""The server's clock: now and today in Phitsanulok's time zone (Asia/Bangkok).

"Today" decides due dates and what is overdue. Tests and the browser tests freeze it with
config FIELDAPP_FAKE_NOW (an ISO 8601 time with offset), honoured only when TESTING or
FIELDAPP_ENV=development, so a production server always runs on the real clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

BANGKOK = ZoneInfo("Asia/Bangkok")


def _fake_now() -> datetime | None:
    if not has_app_context():
        return None
    config = current_app.config
    fake = config.get("FIELDAPP_FAKE_NOW")
    if not fake or not (config.get("TESTING") or config.get("FIELDAPP_ENV") == "development"):
        return None
    parsed = fake if isinstance(fake, datetime) else datetime.fromisoformat(str(fake))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BANGKOK)


def now() -> datetime:
    """The current time in Asia/Bangkok."""
    return (_fake_now() or datetime.now(UTC)).astimezone(BANGKOK)


def today() -> date:
    """Today's date in Asia/Bangkok."""
    return now().date()
