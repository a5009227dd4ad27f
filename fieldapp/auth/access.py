"""Who may do what: the one place roles are checked."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import g, request

from fieldapp.auth.tokens import device_for_token
from fieldapp.errors import ApiProblem
from fieldapp.models import Device, Role, User


class Permission(StrEnum):
    RECORD = "record"  # create visits, inspections, concerns; sync
    SUPERVISE = "supervise"  # assign, set due dates, change concern status, approve
    ADMINISTER = "administer"  # users, devices, villages, categories, templates
    SEE_PERSONAL_DATA = "see_personal_data"  # reporter names and phones
    RESOLVE_QUARANTINE = "resolve_quarantine"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.OFFICIAL: frozenset({Permission.RECORD}),
    Role.SUPERVISOR: frozenset(
        {Permission.RECORD, Permission.SUPERVISE, Permission.SEE_PERSONAL_DATA}
    ),
    Role.ADMIN: frozenset(Permission),
}


def can(user: User, permission: Permission) -> bool:
    return user.active and permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def _authenticate() -> Device:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401,
            "Unauthorized",
            "Sign in first: send 'Authorization: Bearer <token>'.",
            code="auth.missing_token",
        )
    device = device_for_token(token.strip())
    if device is None:
        raise ApiProblem(
            401,
            "Unauthorized",
            "The token is unknown, revoked, or its account is inactive.",
            code="auth.invalid_token",
        )
    return device


def authenticated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Require a valid device token; sets g.device and g.user."""
    return require()(view)


def require(*permissions: Permission) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            device = _authenticate()
            g.device, g.user = device, device.user
            missing = [p for p in permissions if not can(device.user, p)]
            if missing:
                raise ApiProblem(
                    403,
                    "Forbidden",
                    f"Your role ({device.user.role}) may not {missing[0].value}.",
                    code="auth.forbidden",
                )
            return view(*args, **kwargs)

        return wrapper

    return decorator


def current_user() -> User:
    return g.user


def current_device() -> Device:
    return g.device
