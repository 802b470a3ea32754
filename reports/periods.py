"""The period a report covers, as the Secretariat writes it: 2026, 2026-Q3, 2026-09, 2026-W05."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators.choices import PeriodKind

YEAR = re.compile(r"^(\d{4})$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date
    label: str

    def before(self) -> Period:
        """The period just before, of the same kind."""
        return period_containing(self.kind, self.start - datetime.timedelta(days=1))


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def period_containing(kind: str, day: datetime.date) -> Period:
    if kind == PeriodKind.YEAR:
        return Period(
            kind, day.replace(month=1, day=1), day.replace(month=12, day=31), f"{day.year}"
        )
    if kind == PeriodKind.QUARTER:
        first = 3 * ((day.month - 1) // 3) + 1
        return Period(
            kind,
            datetime.date(day.year, first, 1),
            _month_end(day.year, first + 2),
            f"{day.year}-Q{(first + 2) // 3}",
        )
    if kind == PeriodKind.MONTH:
        return Period(kind, day.replace(day=1), _month_end(day.year, day.month), f"{day:%Y-%m}")
    monday = day - datetime.timedelta(days=day.weekday())
    year, week, _weekday = monday.isocalendar()
    return Period(kind, monday, monday + datetime.timedelta(days=6), f"{year}-W{week:02d}")


def parse_period(text: str) -> Period:
    """The period `text` names; ValueError with a sentence if it names none."""
    text = text.strip()
    try:
        if match := YEAR.match(text):
            return period_containing(PeriodKind.YEAR, datetime.date(int(match[1]), 1, 1))
        if match := QUARTER.match(text):
            month = 3 * (int(match[2]) - 1) + 1
            return period_containing(PeriodKind.QUARTER, datetime.date(int(match[1]), month, 1))
        if match := MONTH.match(text):
            return period_containing(
                PeriodKind.MONTH, datetime.date(int(match[1]), int(match[2]), 1)
            )
        if match := WEEK.match(text):
            monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return period_containing(PeriodKind.WEEK, monday)
    except ValueError:
        pass  # year 0000, or a week 53 the year lacks
    raise ValueError(
        _("Give a year (2026), a quarter (2026-Q3), a month (2026-09) or an ISO week (2026-W05).")
    )
