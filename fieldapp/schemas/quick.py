"""Fields and a schema base that take plainly valid values in one step (a push checks many).

marshmallow's generic path — deserialize, then each validator, through a closure per field —
costs microseconds a value, and a push of 200 records checks thousands of values. The fields
here accept a value at once when it is unambiguously valid and already in its loaded form
(a string within its length, a float within its range, a canonical UUID); anything else takes
marshmallow's own path, which stays the only source of error messages. The declared
validators are the same ones, so the OpenAPI description and every error are unchanged
(tests/schemas/test_quick.py checks both paths agree).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, ValidationError, fields, validate
from marshmallow.utils import missing

SLOW = object()  # "not plainly valid": use marshmallow's path
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class QuickField:
    """Mixin: `_quick(value)` returns the loaded value, or SLOW for marshmallow's path."""

    def _quick(self, value: Any) -> Any:
        return SLOW

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any):
        out = SLOW if self.pre_load or self.post_load else self._quick(value)  # type: ignore[attr-defined]
        if out is SLOW:
            return super().deserialize(value, attr, data, **kwargs)  # type: ignore[misc]
        return out


class Text(QuickField, fields.String):
    """A string of bounded length (validate.Length)."""

    def __init__(self, *, min_length: int | None = None, max_length: int, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)
        self._min, self._max = min_length or 0, max_length

    def _quick(self, value: Any) -> Any:
        if type(value) is str and self._min <= len(value) <= self._max:
            return value
        return SLOW


class Choice(QuickField, fields.String):
    """One of a fixed set of strings (validate.OneOf)."""

    def __init__(self, choices: tuple[str, ...] | list[str], **kwargs: Any) -> None:
        super().__init__(validate=validate.OneOf(choices), **kwargs)
        self._choices = frozenset(choices)

    def _quick(self, value: Any) -> Any:
        if type(value) is str and value in self._choices:
            return value
        return SLOW


class BoundedFloat(QuickField, fields.Float):
    """A finite float within [low, high] (validate.Range, no NaN or infinity)."""

    def __init__(self, low: float, high: float, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(low, high), allow_nan=False, **kwargs)
        self._low, self._high = low, high

    def _quick(self, value: Any) -> Any:
        kind = type(value)
        if (kind is float or kind is int) and self._low <= value <= self._high:
            return float(value)  # NaN fails the comparison: marshmallow names it
        return SLOW


class BoundedInteger(QuickField, fields.Integer):
    """A strict integer, optionally within [low, high] (validate.Range)."""

    def __init__(self, low: int | None = None, high: int | None = None, **kwargs: Any) -> None:
        ranged = low is not None or high is not None
        kwargs.setdefault("strict", True)
        if ranged:
            kwargs["validate"] = validate.Range(low, high)
        super().__init__(**kwargs)
        self._low = -(2**63) if low is None else low
        self._high = 2**63 if high is None else high
        self._unbounded = not ranged

    def _quick(self, value: Any) -> Any:
        if type(value) is int and (self._unbounded or self._low <= value <= self._high):
            return value
        return SLOW


class QuickUUIDString(QuickField, fields.UUID):
    """A UUID, kept as its canonical lower-case string."""

    def _quick(self, value: Any) -> Any:
        if type(value) is str and len(value) == 36 and _CANONICAL_UUID.fullmatch(value):
            return value  # already what str(uuid.UUID(value)) gives
        return SLOW

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        result = super()._deserialize(value, attr, data, **kwargs)
        return str(result)


class FlatSchema(Schema):
    """A schema of plain fields, loaded in one loop without a closure per field.

    Only the common case is taken here: one mapping, `partial` True or False. Everything else
    (many, partial by name, a body that is not a mapping) is marshmallow's own `_deserialize`.
    Errors are stored exactly as marshmallow stores them."""

    def _deserialize(  # type: ignore[override]
        self,
        data: Any,
        *,
        error_store: Any,
        many: bool = False,
        partial: Any = None,
        unknown: Any = RAISE,
        index: int | None = None,
    ) -> Any:
        if many or not isinstance(data, Mapping) or not (partial is None or type(partial) is bool):
            return super()._deserialize(
                data,
                error_store=error_store,
                many=many,
                partial=partial,
                unknown=unknown,
                index=index,
            )
        index = index if self.opts.index_errors else None
        kwargs = {} if partial is None else {"partial": partial}
        out = self.dict_class()
        plan = self.__dict__.get("_flat_plan") or self._make_plan()
        for key, data_key, field, quick in plan:
            raw = data.get(data_key, missing)
            if raw is missing:
                if partial is True:
                    continue
            elif quick is not None:
                value = quick(raw)
                if value is not SLOW:
                    out[key] = value
                    continue
            try:
                value = field.deserialize(raw, data_key, data, **kwargs)
            except ValidationError as error:
                error_store.store_error(error.messages, data_key, index=index)
                value = error.valid_data or missing
            if value is not missing:
                out[key] = value
        if unknown != EXCLUDE:
            known = {data_key for _, data_key, _, _ in plan}
            for name in set(data) - known:
                if unknown == INCLUDE:
                    out[name] = data[name]
                elif unknown == RAISE:
                    error_store.store_error([self.error_messages["unknown"]], name, index)
        return out

    def _make_plan(self) -> list[tuple[str, str, fields.Field, Any]]:
        """(key, data key, field, its one-step check or None) for each field."""
        plan = []
        for name, field in self.load_fields.items():
            key = field.attribute or name
            if "." in key:
                raise TypeError(f"{type(self).__name__}.{name}: a dotted attribute is not flat")
            data_key = field.data_key if field.data_key is not None else name
            plain = isinstance(field, QuickField) and not (field.pre_load or field.post_load)
            quick = field._quick if plain else None
            plan.append((key, data_key, field, quick))
        self.__dict__["_flat_plan"] = plan
        return plan
