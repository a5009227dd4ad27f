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
