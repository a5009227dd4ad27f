"""When an overdue concern is escalated, and how far. Pure: dates in, levels out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def parse_schedule(text: str) -> tuple[int, ...]:
    """ESCALATION_DAYS ("0,7,14"): days after the due date at which levels 1, 2, 3… start."""
    try:
        days = tuple(sorted(int(part) for part in text.split(",") if part.strip()))
    except ValueError:
        raise ValueError(f"ESCALATION_DAYS must be whole days, like 0,7,14: {text!r}") from None
    if not days or days[0] < 0:
        raise ValueError(f"ESCALATION_DAYS must list days >= 0, like 0,7,14: {text!r}")
    return days


def level_due(due_date: date, today: date, schedule: tuple[int, ...]) -> int:
    """The level a concern open past `due_date` has reached today: one per step of the
    schedule passed (step 0: the day after the due date)."""
    return sum(1 for days in schedule if today > due_date + timedelta(days=days))


@dataclass(frozen=True)
class Escalation:
    concern_id: str
    from_level: int
    to_level: int


def escalations(
    concerns: list[tuple[str, date, int]], today: date, schedule: tuple[int, ...]
) -> list[Escalation]:
    """For open concerns (id, due date, current level): the ones to raise. A level is never
    lowered, so running again the same day changes nothing."""
    out = []
    for concern_id, due_date, level in concerns:
        reached = level_due(due_date, today, schedule)
        if reached > level:
            out.append(Escalation(concern_id, level, reached))
    return out
