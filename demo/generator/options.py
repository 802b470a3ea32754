"""What to generate, and the calendar arithmetic every stage shares.

All dates derive from the options alone (never from the clock), so the same options always give
the same data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

Period = tuple[datetime.date, datetime.date]


@dataclass(frozen=True, kw_only=True)
class SeedOptions:
    """How much demo data to generate. Record counts are totals across all missions."""

    end: datetime.date
    missions: int = 3
    years: int = 1
    seed: int = 2026
    incidents: int = 3000
    alerts: int = 1000
    activities: int = 2000
    observations: int = 10000
    localities: int = 6
    batch_size: int = 5000

    @property
    def start(self) -> datetime.date:
        """First day of the window: the month after `end`'s month, `years` years back."""
        year, month = self.end.year - self.years, self.end.month + 1
        if month > 12:
            year, month = year + 1, 1
        return datetime.date(year, month, 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def calendar_years(self) -> range:
        """The calendar years the window touches."""
        return range(self.start.year, self.end.year + 1)

    def share(self, total: int, index: int) -> int:
        """Mission `index`'s share of a total, the remainder going to the first missions."""
        base, extra = divmod(total, self.missions)
        return base + (1 if index < extra else 0)


def last_completed_month_end(today: datetime.date) -> datetime.date:
    """The last day of the month before `today`'s month."""
    return today.replace(day=1) - datetime.timedelta(days=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def weeks(start: datetime.date, end: datetime.date) -> Iterator[Period]:
    """ISO weeks (Monday to Sunday) ending within [start, end]."""
    monday = start - datetime.timedelta(days=start.weekday())
    while (sunday := monday + datetime.timedelta(days=6)) <= end:
        if sunday >= start:
            yield monday, sunday
        monday += datetime.timedelta(days=7)


def months(start: datetime.date, end: datetime.date, *, step: int = 1) -> Iterator[Period]:
    """Calendar months (or quarters, or years, with `step` 3 or 12) ending within [start, end]."""
    first = start.replace(day=1)
    first = first.replace(month=(first.month - 1) // step * step + 1)
    while (last := month_end(_add_months(first, step - 1))) <= end:
        if last >= start:
            yield first, last
        first = _add_months(first, step)


def _add_months(day: datetime.date, count: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + count
    return day.replace(year=index // 12, month=index % 12 + 1)
