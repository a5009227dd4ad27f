"""Sign-in for devices, and the devices a user has signed in on."""

from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import select

from fieldapp.auth import Permission, authenticated, can, current_device, current_user
from fieldapp.auth.passwords import verify_password
from fieldapp.auth.tokens import issue_device_token, revoke_device
from fieldapp.database import keep_writes_on_error
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db, limiter
from fieldapp.models import Device, User, record_audit
from fieldapp.schemas.auth import DeviceSchema, LoginResultSchema, LoginSchema, UserSchema

blp = Blueprint("auth", __name__, url_prefix="/api", description="Sign-in and devices")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/auth/login", methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"])
@blp.arguments(LoginSchema)
@blp.response(201, LoginResultSchema)
def login(data):
    """Exchange a username and password for a device bearer token."""
    user = db.session.scalar(select(User).where(User.username == data["username"]))
    if not verify_password(user.password_hash if user else None, data["password"]):
        _audit_refused_sign_in("auth.login_failed", user, data["username"])
        raise ApiProblem(
            401, "Unauthorized", "Wrong username or password.", code="auth.bad_credentials"
        )
    if not user.active:
        _audit_refused_sign_in("auth.login_inactive", user, data["username"])
        raise ApiProblem(403, "Forbidden", "This account is disabled.", code="auth.inactive")
    device, token = issue_device_token(user, data["device_name"])
    db.session.flush()
    record_audit("device.login", user.id, "device", device.id, name=device.name)
    return {"token": token, "device_id": device.id, "user": user}


def _audit_refused_sign_in(action: str, user: User | None, username: str) -> None:
    """A refused sign-in is kept (never the password tried), although the answer is an error."""
    keep_writes_on_error()
    user_id = user.id if user else None
    record_audit(action, user_id, "user", str(user_id) if user else None, username=username)


@blp.route("/auth/me")
@authenticated
@blp.response(200, UserSchema)
def me():
    return current_user()


@blp.route("/auth/logout", methods=["POST"])
@authenticated
@blp.response(204)
def logout():
    """Revoke this device's token. The device keeps its unsynced work."""
    revoke_device(current_device())
    record_audit("device.logout", current_user().id, "device", current_device().id)


@blp.route("/devices")
@authenticated
@blp.response(200, DeviceSchema(many=True))
def list_devices():
    """Your devices; an admin sees every device."""
    query = select(Device).order_by(Device.created_at.desc())
    if not can(current_user(), Permission.ADMINISTER):
        query = query.where(Device.user_id == current_user().id)
    return db.session.scalars(query).all()


@blp.route("/devices/<device_id>/revoke", methods=["POST"])
@authenticated
@blp.response(200, DeviceSchema)
def revoke(device_id: str):
    """Revoke a lost phone's token: your own, or anyone's as an admin."""
    device = db.session.get(Device, device_id)
    user = current_user()
    if device is None or (device.user_id != user.id and not can(user, Permission.ADMINISTER)):
        raise ApiProblem(404, "Not Found", "No such device.", code="device.not_found")
    revoke_device(device)
    record_audit("device.revoke", user.id, "device", device.id)
    return device
