"""Per-field problems of a refusal: a code with parameters a device words in its own language,
beside the English message for a reader that does not know the code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one field (a dotted path such as `scores.toilets.score`)."""

    field: str
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_code(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "params": dict(self.params)}


class FieldProblems:
    """The problems found so far, in order, so a device hears about every one at once."""

    def __init__(self, problems: Iterable[FieldProblem] = ()) -> None:
        self._problems: list[FieldProblem] = list(problems)

    def add(self, name: str, code: str, message: str, **params: Any) -> None:
        self._problems.append(FieldProblem(name, code, message, params))

    def add_coded(self, errors: dict[str, Any], error_codes: list[dict[str, Any]]) -> None:
        """Problems given as the wire pair: `errors` (field -> messages) and `error_codes`
        (one per message, in the same order)."""
        codes: dict[str, list[dict[str, Any]]] = {}
        for item in error_codes:
            codes.setdefault(item["field"], []).append(item)
        for name, messages in errors.items():
            listed = messages if isinstance(messages, list) else [messages]
            coded = codes.get(name, [])
            for index, message in enumerate(listed):
                item = coded[index] if index < len(coded) else {"code": "invalid", "params": {}}
                self.add(name, item["code"], str(message), **(item.get("params") or {}))

    def __contains__(self, name: object) -> bool:
        return any(p.field == name for p in self._problems)

    def __bool__(self) -> bool:
        return bool(self._problems)

    def __iter__(self):
        return iter(self._problems)

    @property
    def errors(self) -> dict[str, list[str]]:
        """field -> its English messages, as the protocol's `errors`."""
        out: dict[str, list[str]] = {}
        for problem in self._problems:
            out.setdefault(problem.field, []).append(problem.message)
        return out

    @property
    def codes(self) -> list[dict[str, Any]]:
        """The protocol's `error_codes`: one `{field, code, params}` per message of `errors`,
        grouped by field in the order of `errors`."""
        order = list(self.errors)
        ranked = sorted(self._problems, key=lambda p: order.index(p.field))
        return [p.as_code() for p in ranked]
