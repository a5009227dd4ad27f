"""Authentication (device bearer tokens), roles and district scoping."""

from fieldapp.auth.access import (
    Permission,
    authenticated,
    can,
    current_device,
    current_user,
    require,
)
from fieldapp.auth.scoping import district_scope, in_scope

__all__ = [
    "Permission",
    "authenticated",
    "can",
    "current_device",
    "current_user",
    "district_scope",
    "in_scope",
    "require",
]
