"""Rotation schedules written `cron(Minutes Hours Day-of-month Month Day-of-week Year)`.

Documented ("Schedule expressions in Secrets Manager rotation", "RotationRulesType"):
six fields, UTC; `*`, `,`, `-`, `/`; month and weekday names (weekday 1 is SUN);
one of day-of-month and day-of-week is `?`; a schedule "in hours" (several hours a
day) has a one-hour window, one "in days" a window to the end of the UTC day, unless
Duration says otherwise.

Inferred: `L`, `W` and `#` are refused loudly (`UnsupportedScheduleError`), not
ignored; a schedule with no time in the next five years has no NextRotationDate.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

_MONTHS = {name: n for n, name in enumerate(calendar.month_abbr) if name}
_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
# (low, high, names) per field, in the expression's order
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, {k.upper(): v for k, v in _MONTHS.items()}),
    (1, 7, _WEEKDAYS),
    (1970, 2199, {}),
)
_EXPRESSION = re.compile(r"cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)")
_HORIZON_DAYS = 5 * 366


class UnsupportedScheduleError(ValueError):
    """A valid AWS cron feature stubtags does not model (`L`, `W`, `#`)."""


@dataclass(frozen=True, slots=True)
class Cron:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int] | None  # None: `?`
    months: frozenset[int]
    weekdays: frozenset[int] | None  # 1 = Sunday; None: `?`
    years: frozenset[int]

    @property
    def in_hours(self) -> bool:
        """Several times a day: the default window is one hour, not the rest of the day."""
        return len(self.hours) > 1

    def next_after(self, stamp: float) -> float | None:
        """The first time of the schedule strictly after `stamp` (epoch seconds)."""
        start = datetime.fromtimestamp(stamp, timezone.utc)
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        for _ in range(_HORIZON_DAYS):
            if self._on(day):
                for hour in self.hours:
                    for minute in self.minutes:
                        moment = day.replace(hour=hour, minute=minute)
                        if moment.timestamp() > stamp:
                            return moment.timestamp()
            day += timedelta(days=1)
        return None

    def _on(self, day: datetime) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.days is not None:
            return day.day in self.days
        weekday = day.isoweekday() % 7 + 1  # isoweekday: Monday 1 ... Sunday 7
        return self.weekdays is None or weekday in self.weekdays


def parse(expression: str) -> Cron:
    """A `cron(...)` expression; ValueError saying what is wrong."""
    match = _EXPRESSION.fullmatch(expression)
    if match is None:
        raise ValueError("a cron expression has six fields: cron(m h dom mon dow year)")
    texts = match.groups()
    for text in texts:
        if any(mark in text.upper() for mark in ("L", "W", "#")) and not _is_name(text):
            raise UnsupportedScheduleError(
                f"{text!r}: L, W and # in cron expressions are not modelled by stubtags"
            )
    if (texts[2] == "?") == (texts[4] == "?"):
        raise ValueError("exactly one of day-of-month and day-of-week must be '?'")
    values = [None if text == "?" else _field(text, *_FIELDS[i]) for i, text in enumerate(texts)]
    minutes, hours, days, months, weekdays, years = values
    assert minutes is not None and hours is not None and months is not None
    assert years is not None
    return Cron(
        tuple(sorted(minutes)),
        tuple(sorted(hours)),
        None if days is None else frozenset(days),
        frozenset(months),
        None if weekdays is None else frozenset(weekdays),
        frozenset(years),
    )


def _is_name(text: str) -> bool:
    """Month and weekday names contain L, W or # letters too (JUL, WED, ...)."""
    words = re.split(r"[,\-/]", text.upper())
    return all(word in _WEEKDAYS or word in {k.upper() for k in _MONTHS} or word.isdigit()
               or word == "*" for word in words)  # fmt: skip


def _field(text: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    found: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = _number(step_text, 1, high - low + 1, {}) if step_text else 1
        if span == "*":
            first, last = low, high
        elif "-" in span:
            first_text, _, last_text = span.partition("-")
            first = _number(first_text, low, high, names)
            last = _number(last_text, low, high, names)
        else:
            first = _number(span, low, high, names)
            last = high if step_text else first
        if first > last:
            raise ValueError(f"{part!r}: a range runs from low to high")
        found.update(range(first, last + 1, step))
    return found


def _number(text: str, low: int, high: int, names: dict[str, int]) -> int:
    value = names.get(text.upper())
    if value is None:
        if not text.isdigit():
            raise ValueError(f"{text!r} is not a number from {low} to {high}")
        value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{text!r} is not from {low} to {high}")
    return value
