"""Admins: accounts and devices (every change audited; a deactivated user's tokens stop at
once)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from fieldapp.auth import Permission, accounts, current_user, require
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Device, User
from fieldapp.schemas.admin import (
    AdminDeviceSchema,
    AdminUserSchema,
    DeviceQuerySchema,
    NewUserSchema,
    PasswordSchema,
    UserChangeSchema,
    UserQuerySchema,
)

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Accounts and devices")

STATUS = {"user.username_taken": 409, "user.self_lockout": 409}


def _refused(exc: accounts.AccountError) -> ApiProblem:
    status = STATUS.get(exc.code, 422)
    errors = {exc.field: [exc.detail]} if exc.field else None
    return ApiProblem(status, "Refused", exc.detail, code=exc.code, errors=errors)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiProblem(404, "Not Found", "No such user.", code="user.not_found")
    return user


@blp.route("/users")
@require(Permission.ADMINISTER)
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, AdminUserSchema(many=True))
def list_users(args: dict[str, Any]):
    """Accounts, with their devices not revoked and when one was last seen."""
    query = accounts.users_query(accounts.UserQuery(args["q"], args["role"], args["active"]))
    return [accounts.user_line(*row) for row in db.session.execute(query)]


@blp.route("/users", methods=["POST"])
@require(Permission.ADMINISTER)
@blp.arguments(NewUserSchema)
@blp.response(201, AdminUserSchema)
def create_user(data: dict[str, Any]):
    """Create an account."""
    try:
        user = accounts.create_user(data, current_user().id)
    except accounts.AccountError as exc:
        raise _refused(exc) from exc
    return accounts.user_summary(user)


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@require(Permission.ADMINISTER)
@blp.arguments(UserChangeSchema)
@blp.response(200, AdminUserSchema)
def change_user(data: dict[str, Any], user_id: int):
    """Change display name, role, districts; deactivate or re-activate."""
    try:
        user = accounts.update_user(_user(user_id), data, current_user().id)
    except accounts.AccountError as exc:
        raise _refused(exc) from exc
    return accounts.user_summary(user)


@blp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@require(Permission.ADMINISTER)
@blp.arguments(PasswordSchema)
@blp.response(200, AdminUserSchema)
def reset_password(data: dict[str, Any], user_id: int):
    """Set a new password; every device of the user is signed out."""
    user = _user(user_id)
    accounts.reset_password(user, data["password"], current_user().id)
    db.session.flush()
    return accounts.user_summary(user)


@blp.route("/devices")
@require(Permission.ADMINISTER)
@blp.arguments(DeviceQuerySchema, location="query")
@blp.response(200, AdminDeviceSchema(many=True))
def list_devices(args: dict[str, Any]):
    """Devices, most recently seen first."""
    rows = db.session.execute(accounts.devices_query(args["user"]))
    return [accounts.device_line(device, user) for device, user in rows]


@blp.route("/devices/<device_id>/revoke", methods=["POST"])
@require(Permission.ADMINISTER)
@blp.response(200, AdminDeviceSchema)
def revoke_device(device_id: str):
    """Sign a device out at once (a lost phone)."""
    device = db.session.get(Device, device_id)
    if device is None:
        raise ApiProblem(404, "Not Found", "No such device.", code="device.not_found")
    accounts.revoke(device, current_user().id)
    return accounts.device_line(device, device.user)
