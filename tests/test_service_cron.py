"""Rotation schedules in cron form: fields, names, ranges, steps and the next time."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from stubtags.service import cron


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc).timestamp()


def test_names_ranges_steps_and_lists() -> None:
    schedule = cron.parse("cron(0,30 8-10/2 ? JAN,JUL MON-WED 2026-2027)")
    assert schedule.minutes == (0, 30)
    assert schedule.hours == (8, 10)
    assert schedule.days is None and schedule.weekdays == frozenset({2, 3, 4})
    assert schedule.months == {1, 7} and schedule.years == {2026, 2027}
    assert schedule.in_hours


def test_the_next_time_is_strictly_after_and_crosses_months_and_years() -> None:
    schedule = cron.parse("cron(15 6 31 * ? *)")
    assert not schedule.in_hours
    assert schedule.next_after(at(2026, 1, 31, 6, 15)) == at(2026, 3, 31, 6, 15)
    assert schedule.next_after(at(2026, 12, 31, 7, 0)) == at(2027, 1, 31, 6, 15)


def test_weekday_one_is_sunday() -> None:
    sunday = cron.parse("cron(0 12 ? * 1 *)")
    assert sunday.next_after(at(2026, 3, 2)) == at(2026, 3, 8, 12)  # 8 March 2026: a Sunday


def test_a_schedule_with_no_time_in_the_next_five_years_has_none() -> None:
    assert cron.parse("cron(0 0 1 1 ? 2100)").next_after(at(2026, 1, 1)) is None


@pytest.mark.parametrize(
    "expression",
    ["cron(0 0 1 * 1 *)", "cron(0 0 ? * ? *)", "cron(60 0 ? * * *)", "cron(0 0 5-1 * ? *)",
     "cron(0 0 ? * FUNDAY *)", "rate(1 day)", "cron(0 0 1 *)"],
)  # fmt: skip
def test_malformed_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ValueError):
        cron.parse(expression)


@pytest.mark.parametrize("expression", ["cron(0 0 L * ? *)", "cron(0 0 ? * 6#3 *)"])
def test_last_nearest_and_nth_are_refused_as_not_modelled(expression: str) -> None:
    with pytest.raises(cron.UnsupportedScheduleError):
        cron.parse(expression)


def test_month_and_day_names_with_l_or_w_are_names_not_markers() -> None:
    assert cron.parse("cron(0 0 ? JUL WED *)").months == {7}
