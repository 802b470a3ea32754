"""Keep the calendar table covering every date the rollups need."""

from __future__ import annotations

import datetime

from django.db.models import Max, Min

from ..models import CalendarDay


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_month(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def calendar_row(day: datetime.date) -> CalendarDay:
    """The calendar row of one day."""
    one = datetime.timedelta(days=1)
    week_start = day - datetime.timedelta(days=day.weekday())
    month_start = day.replace(day=1)
    quarter_start = _quarter_start(day)
    year_start = datetime.date(day.year, 1, 1)
    return CalendarDay(
        day=day,
        ordinal=day.toordinal(),
        week_start=week_start,
        week_end=week_start + datetime.timedelta(days=6),
        month_start=month_start,
        month_end=_next_month(month_start, 1) - one,
        quarter_start=quarter_start,
        quarter_end=_next_month(quarter_start, 3) - one,
        year_start=year_start,
        year_end=datetime.date(day.year, 12, 31),
    )


def calendar_ensure(*, start: datetime.date, end: datetime.date) -> int:
    """Add the missing days so whole years from `start` to `end` are covered; return how many.

    Whole years, so every week, month, quarter and year touching the range has all its days.
    The table only ever grows, and concurrent callers insert the same rows (conflicts ignored).
    """
    first = datetime.date(start.year - 1, 12, 1)  # ISO weeks can start in the previous year
    last = datetime.date(end.year + 1, 1, 31)
    bounds = CalendarDay.objects.aggregate(lo=Min("day"), hi=Max("day"))
    if bounds["lo"]:
        if bounds["lo"] <= first and bounds["hi"] >= last:
            return 0
        # grow from the existing edges so the table never has holes
        first, last = min(first, bounds["lo"]), max(last, bounds["hi"])
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    rows = [calendar_row(day) for day in days]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)
