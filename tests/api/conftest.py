"""Fixtures for the API tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from fieldapp.auth import passwords
from fieldapp.extensions import db
from tests.api.workspace import Province


@pytest.fixture
def province(client, make_user, make_village, login, monkeypatch) -> Province:
    """Officials and supervisors of 6501 (Mueang) and 6502 (Nakhon Thai), a province admin,
    a deactivated official of 6501, and villages in both districts."""
    # Seven accounts: hash their passwords with argon2id's cheapest settings (the hash names
    # its settings, so verifying is as cheap); what is tested here is not the hashing.
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    users = {
        "official": make_user("official", display_name="สมชาย เมือง"),
        "official2": make_user("official2", districts=("6502",), display_name="สมหญิง นครไทย"),
        "colleague": make_user("colleague", display_name="มานี เมือง"),
        "supervisor": make_user("supervisor", role="supervisor", display_name="หัวหน้า เมือง"),
        "other_supervisor": make_user(
            "other_supervisor", role="supervisor", districts=("6502",), display_name="หัวหน้า นครไทย"
        ),
        "admin": make_user("admin", role="admin", districts=(), display_name="ผู้ดูแล จังหวัด"),
        "deactivated": make_user("deactivated", display_name="ออกแล้ว"),
    }
    headers = {name: login(user) for name, user in users.items()}
    users["deactivated"].active = False  # after signing in: the token must stop working
    db.session.commit()
    villages = {
        "mueang": make_village("650101", name_th="บ้านในเมือง"),
        "mueang2": make_village("650102", name_th="บ้านริมน้ำ"),
        "nakhon_thai": make_village("650201", name_th="บ้านนครไทย"),
    }
    return Province(client, users, headers, villages)
