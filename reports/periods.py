"""The period a report covers, as the Secretariat writes it: 2026, 2026-Q3, 2026-09, 2026-W05."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators.choices import PeriodKind
from indicators.rollups.calendar import period_bounds

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


LABELS = {
    PeriodKind.YEAR: lambda start: f"{start.year}",
    PeriodKind.QUARTER: lambda start: f"{start.year}-Q{(start.month + 2) // 3}",
    PeriodKind.MONTH: lambda start: f"{start:%Y-%m}",
    PeriodKind.WEEK: lambda start: "{}-W{:02d}".format(*start.isocalendar()[:2]),
}


def period_containing(kind: str, day: datetime.date) -> Period:
    start, end = period_bounds(kind, day)
    return Period(kind, start, end, LABELS[PeriodKind(kind)](start))


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
