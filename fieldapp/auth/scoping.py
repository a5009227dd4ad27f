"""District scoping, applied in queries: a user sees the districts they are assigned to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, true

from fieldapp.models import User


def district_scope(user: User, district_column: Any) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the user's districts (all of them for admins)."""
    if user.province_wide:
        return true()
    codes = user.district_codes
    if not codes:
        return false()
    return district_column.in_(codes)


def in_scope(user: User, district_code: str | None) -> bool:
    """The same rule for one value already loaded (used when checking a write)."""
    return user.province_wide or (
        district_code is not None and district_code in user.district_codes
    )
