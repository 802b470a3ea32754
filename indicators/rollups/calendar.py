"""Keep the calendar table covering every date the rollups need."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Min

from core.validators import RECORD_DATES_CEILING, RECORD_DATES_FLOOR

from ..choices import PeriodKind
from ..models import CalendarDay

if TYPE_CHECKING:
    from .ranges import Window

KINDS = ("week", "month", "quarter", "year")


def shift(day: datetime.date, days: int) -> datetime.date:
    """The day `days` days from `day`, held within the dates Python can represent.

    Bucket ranges carry whatever date a record has; arithmetic around 0001-01-01 or 9999-12-31
    must give an answer (an unreachable bucket edge), never an OverflowError.
    """
    ordinal = day.toordinal() + days
    return datetime.date.fromordinal(min(max(ordinal, 1), datetime.date.max.toordinal()))


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def calendar_row(day: datetime.date) -> CalendarDay:
    """The calendar row of one day; any day Python can represent has one."""
    week_start = shift(day, -day.weekday())
    quarter_month = 3 * ((day.month - 1) // 3) + 1
    return CalendarDay(
        day=day,
        ordinal=day.toordinal(),
        week_start=week_start,
        week_end=shift(week_start, 6),
        month_start=day.replace(day=1),
        month_end=_month_end(day.year, day.month),
        quarter_start=datetime.date(day.year, quarter_month, 1),
        quarter_end=_month_end(day.year, quarter_month + 2),
        year_start=datetime.date(day.year, 1, 1),
        year_end=datetime.date(day.year, 12, 31),
    )


def period_bounds(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the period of `kind` (week, month, quarter, year) holding
    `day`; an unknown kind raises ValueError."""
    row = calendar_row(day)
    kind = PeriodKind(kind)
    return getattr(row, f"{kind}_start"), getattr(row, f"{kind}_end")


def calendar_ensure(*, start: datetime.date, end: datetime.date) -> int:
    """Add the missing days so whole years from `start` to `end` are covered; return how many.

    Whole years, so every week, month, quarter and year touching the range has all its days.
    Any dates may be given: they are held within the dates a record may carry (the database
    refuses others), so the table never reaches past 1899-12-01 and 2200-01-31. A record dated
    outside, one stored before the database checked dates, then counts in no bucket (it has no
    calendar day) instead of stopping every figure of its mission.
    The table only ever grows, and concurrent callers insert the same rows (conflicts ignored).
    """
    # a stray far date must neither overflow the arithmetic below nor add millions of days
    start = min(max(start, RECORD_DATES_FLOOR), RECORD_DATES_CEILING)
    end = min(max(end, RECORD_DATES_FLOOR), RECORD_DATES_CEILING)
    first = datetime.date(start.year - 1, 12, 1)  # ISO weeks can start in the previous year
    last = datetime.date(end.year + 1, 1, 31)
    bounds = CalendarDay.objects.aggregate(lo=Min("day"), hi=Max("day"))
    spans = [(first, last)]
    if bounds["lo"]:
        # grow from the existing edges so the table never has holes, adding only what is new
        lo, hi = bounds["lo"], bounds["hi"]
        spans = [(first, shift(lo, -1)), (shift(hi, 1), last)]
    rows = [
        calendar_row(start + datetime.timedelta(days=n))
        for start, end in spans
        for n in range((end - start).days + 1)
    ]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


def period_rows(kinds: Sequence[str], window: Window | None, params: list[Any]) -> str:
    """The period kinds as SQL rows (kind: 1 week … 4 year, name, lo, hi), each with the days
    whose facts or reports fall in the window's buckets of that kind: lo and hi NULL without
    a window (any day); a window's spans as they are.

    Bounding each kind's days before placing spares the database the buckets outside the
    window: a refresh's yearly bucket needs the year's records, its weekly one a week's.
    Periods of a kind partition the days, so a record is in a bucket of the window exactly
    when its day lies between the first such bucket's start and the last one's end.
    """
    bounds: list[tuple[str, datetime.date | None, datetime.date | None]]
    if window is None:
        bounds = [(kind, None, None) for kind in kinds]
    elif window.spans:
        bounds = [span for span in window.spans if span[0] in kinds]
    else:
        bounds = [
            (kind, period_bounds(kind, window.start)[0], period_bounds(kind, window.end)[1])
            for kind in kinds
        ]
    rows = []
    for kind, lo, hi in bounds:
        days = "CAST(NULL AS DATE) AS lo, CAST(NULL AS DATE) AS hi"
        if lo is not None:
            days = "%s AS lo, %s AS hi"
            params.extend([lo, hi])
        rows.append(f"SELECT {KINDS.index(kind) + 1} AS kind, '{kind}' AS name, {days}")
    return " UNION ALL ".join(rows)
