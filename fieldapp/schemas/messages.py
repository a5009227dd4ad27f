"""marshmallow error messages in the shape problem+json answers carry them, with their codes.

Every message a push schema gives is a `Coded` string: the English words as marshmallow has
always written them, plus a code and parameters a client renders in its own language. The
code is attached where the message is declared (a field's error_messages, a validator's
error), so marshmallow's own path carries it; nothing parses English afterwards.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate


class Coded(str):
    """An error message that knows its code; `.format()` keeps the code and parameters."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, params: dict[str, Any] | None = None) -> Coded:
        message = super().__new__(cls, text)
        message.code = code
        message.params = dict(params or {})
        return message

    def __getnewargs__(self) -> tuple[str, str, dict[str, Any]]:  # type: ignore[override]
        return str(self), self.code, self.params

    def format(self, *args: Any, **kwargs: Any) -> Coded:
        return Coded(str(self).format(*args, **kwargs), self.code, self.params)


def coded(text: str, code: str, **params: Any) -> Coded:
    return Coded(text, code, params)


# The value type a field wants, as the `invalid` code names it.
_TYPES: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.UUID, "uuid"),
    (fields.String, "string"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.Boolean, "boolean"),
    (fields.List, "list"),
    (fields.Mapping, "object"),
    (fields.Nested, "object"),
    (fields.DateTime, "datetime"),
    (fields.Date, "date"),
)


def _value_type(field: fields.Field) -> str:
    return next((name for kind, name in _TYPES if isinstance(field, kind)), "string")


def _field_messages(field: fields.Field) -> dict[str, Coded]:
    kind = {"type": _value_type(field)}
    out = {
        "required": coded("Missing data for required field.", "required"),
        "null": coded("Field may not be null.", "null"),
        "validator_failed": Coded("Invalid value.", "invalid", kind),
    }
    for key in ("invalid", "invalid_uuid", "invalid_utf8", "special", "type"):
        if key in field.error_messages:
            out[key] = Coded(field.error_messages[key], "invalid", kind)
    if "too_large" in field.error_messages:
        out["too_large"] = coded(
            field.error_messages["too_large"], "out_of_range", min=None, max=None
        )
    if "invalid_awareness" in field.error_messages:
        out["invalid_awareness"] = coded("Not a valid aware datetime.", "naive_datetime")
    return out


def _validator_message(validator: Any) -> Coded | None:
    """The validator's message with its code (its English words unchanged)."""
    if isinstance(validator, validate.Length):
        low, high = validator.min, validator.max
        if validator.equal is not None:
            return coded(
                validator.message_equal, "length_between", min=validator.equal, max=validator.equal
            )
        if low is not None and high is not None:
            return coded(
                validator.error or validator.message_all, "length_between", min=low, max=high
            )
        if low is not None:
            return coded(validator.error or validator.message_min, "too_short", min=low)
        return coded(validator.error or validator.message_max, "too_long", max=high)
    if isinstance(validator, validate.Range):
        low, high = validator.min, validator.max
        both, only_min = validator.message_all, validator.message_min
        text = validator.error or (
            both
            if low is not None and high is not None
            else only_min
            if low is not None
            else validator.message_max
        )
        return coded(text, "out_of_range", min=low, max=high)
    if isinstance(validator, validate.OneOf):
        return coded(validator.error, "one_of", choices=list(validator.choices))
    if isinstance(validator, validate.Regexp):
        return coded(validator.error, "pattern")
    return None


def code_field(field: fields.Field) -> None:
    """Give the field, its validators and its inner fields coded messages (idempotent)."""
    field.error_messages = {**field.error_messages, **_field_messages(field)}
    for validator in field.validators:
        if not isinstance(getattr(validator, "error", None), Coded):
            message = _validator_message(validator)
            if message is not None:
                validator.error = message
    inner = [
        getattr(field, "inner", None),
        getattr(field, "key_field", None),
        getattr(field, "value_field", None),
    ]
    for part in inner:
        if isinstance(part, fields.Field):
            code_field(part)


class CodedSchema(Schema):
    """A schema whose every message carries a code (see Coded)."""

    error_messages = {
        "unknown": coded("Unknown field.", "unknown_field"),
        "type": coded("Invalid input type.", "invalid", type="object"),
    }

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        code_field(field_obj)


def field_paths(messages: Any, prefix: str = "", root: str = "_schema") -> dict[str, Any]:
    """Nested messages as one level of dotted field paths: `mutations.3.op`.

    Messages that belong to no field (a list at the top) are keyed by `root`.
    """
    if not isinstance(messages, dict):
        return {prefix or root: messages}
    out: dict[str, Any] = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(field_paths(value, path, root))
        else:
            out[path] = value
    return out


def error_code(message: Any) -> dict[str, Any]:
    """The code of one message; a message made without one is a plain `invalid`."""
    if isinstance(message, Coded):
        return {"code": message.code, "params": dict(message.params)}
    return {"code": "invalid", "params": {}}


def coded_errors(
    messages: Any, root: str = "_schema"
) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """A ValidationError's messages as (errors by dotted field path, one code per message)."""
    errors = field_paths(messages, root=root)
    codes = []
    for path, texts in errors.items():
        texts = texts if isinstance(texts, list) else [texts]
        errors[path] = list(texts)
        codes.extend({"field": path, **error_code(text)} for text in texts)
    return errors, codes
