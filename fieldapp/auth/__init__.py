"""Authentication (device bearer tokens) and roles; who sees what is in auth.visibility."""

from fieldapp.auth.access import (
    Permission,
    authenticated,
    can,
    current_device,
    current_user,
    require,
)

__all__ = [
    "Permission",
    "authenticated",
    "can",
    "current_device",
    "current_user",
    "require",
]
