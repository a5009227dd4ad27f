"""When an overdue concern is escalated, and how far (pure)."""

from datetime import date

import pytest

from fieldapp.followup.escalation import Escalation, escalations, level_due, parse_schedule

DUE = date(2026, 3, 10)
SCHEDULE = (0, 7, 14)


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (date(2026, 3, 9), 0),
        (date(2026, 3, 10), 0),  # the due date itself is still in time
        (date(2026, 3, 11), 1),
        (date(2026, 3, 17), 1),
        (date(2026, 3, 18), 2),
        (date(2026, 3, 25), 3),
        (date(2026, 6, 1), 3),
    ],
)
def test_levels_follow_the_schedule(today, level):
    assert level_due(DUE, today, SCHEDULE) == level


def test_a_level_is_raised_once_and_never_lowered():
    today = date(2026, 3, 18)
    concerns = [("a", DUE, 0), ("b", DUE, 2), ("c", DUE, 3), ("d", date(2026, 3, 20), 0)]
    assert escalations(concerns, today, SCHEDULE) == [Escalation("a", 0, 2)]
    assert escalations([("a", DUE, 2)], today, SCHEDULE) == []


@pytest.mark.parametrize("text", ["", "x", "-1,3", "1,,a"])
def test_a_bad_schedule_is_refused(text):
    with pytest.raises(ValueError, match="ESCALATION_DAYS"):
        parse_schedule(text)


def test_schedule_is_sorted():
    assert parse_schedule("14, 0,7") == (0, 7, 14)
