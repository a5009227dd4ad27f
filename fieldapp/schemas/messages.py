"""marshmallow error messages in the shape problem+json answers carry them."""

from __future__ import annotations

from typing import Any


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


# INTERIM (codes branch): `onepath` replaces this with codes carried by the schema fields'
# own messages; until then known marshmallow wordings are named here, anything else `invalid`.
_INTERIM = (
    (r"Missing data for required field\.", "required"),
    (r"Field may not be null\.", "null"),
    (r"Unknown field\.", "unknown_field"),
    (r"Not a valid aware datetime\.", "naive_datetime"),
    (r"Not a valid (?P<type>[\w -]+?)( type)?\.", "invalid"),
    (r"Shorter than minimum length (?P<min>\d+)\.", "too_short"),
    (r"Longer than maximum length (?P<max>\d+)\.", "too_long"),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", "length_between"),
    (r"Must be one of: (?P<choices>.*)\.", "one_of"),
    (
        r"Must be greater than or equal to (?P<min>[\d.-]+) and less than or equal to "
        r"(?P<max>[\d.-]+)\.",
        "out_of_range",
    ),
    (r"Must be greater than or equal to (?P<min>[\d.-]+)\.", "out_of_range"),
    (r"Must be less than or equal to (?P<max>[\d.-]+)\.", "out_of_range"),
    (r"String does not match expected pattern\.", "pattern"),
    (r"A phone number: .*|A lower-case hex SHA-256\.", "pattern"),
)


def coded_errors(messages: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(errors by dotted field path, one {field, code, params} per message)."""
    import re

    errors = field_paths(messages)
    codes: list[dict[str, Any]] = []
    for name, listed in errors.items():
        for message in listed if isinstance(listed, list) else [listed]:
            code, params = "invalid", {}
            for pattern, known in _INTERIM:
                match = re.fullmatch(pattern, str(message))
                if match:
                    code = known
                    params = {
                        k: int(v) if v.lstrip("-").isdigit() else v
                        for k, v in match.groupdict().items()
                        if v is not None
                    }
                    break
            codes.append({"field": name, "code": code, "params": params})
    return errors, codes
