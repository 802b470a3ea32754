"""The window of dates a record may carry, checked wherever a user enters one.

Two windows, one inside the other. The database holds a fixed outer window (a check constraint
per field, `core.db.record_date_check`), which a migration can hold and no input can leave. The
settings open a narrower window that moves with today (`RECORD_DATES_FROM` to
`RECORD_DATES_YEARS_AHEAD` years after today), checked by `validate_record_date` on every date
and timestamp field a user fills in: model forms, serializers and the services' `full_clean`
all run it, so a mistyped year is a field error, not a crash of the figures later on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# The outer window the database checks. 1900 precedes every mission and mandate on record.
RECORD_DATES_FLOOR = datetime.date(1900, 1, 1)
# Far past any plausible "one year after today" (the settings' window reaches it in 2198), and
# far below year 9999, past which the calendar arithmetic done around a record's date (its
# week's end, the month or year after) overflows Python's dates.
RECORD_DATES_CEILING = datetime.date(2199, 12, 31)


def utc_midnight(day: datetime.date) -> datetime.datetime:
    """The instant a UTC day starts: timestamps are compared with days at UTC midnight."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` years later (28 February for 29 February), at most the ceiling."""
    if day.year + years > RECORD_DATES_CEILING.year:
        return RECORD_DATES_CEILING
    try:
        later = day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        later = day.replace(year=day.year + years, day=28)
    return min(later, RECORD_DATES_CEILING)


Window = tuple[datetime.date, datetime.date]

# The window of the batch being checked, if any (`one_record_dates_window`).
_batch_window: ContextVar[Window | None] = ContextVar("record_dates_window", default=None)


def record_dates_window(today: datetime.date | None = None) -> Window:
    """The first and last day a user may enter today, both included."""
    if today is None:
        fixed = _batch_window.get()
        if fixed is not None:
            return fixed
        today = timezone.localdate()
    return settings.RECORD_DATES_FROM, years_after(today, settings.RECORD_DATES_YEARS_AHEAD)


@contextmanager
def one_record_dates_window() -> Iterator[None]:
    """Check every date inside against the window of the moment it was entered.

    For batches: thousands of dates, each read twice (the API's fields, the services'
    `full_clean`), would otherwise read the settings and the clock each time. A batch that
    runs over midnight is checked against the day it began.
    """
    token = _batch_window.set(record_dates_window())
    try:
        yield
    finally:
        _batch_window.reset(token)


def validate_record_date(value: datetime.date | datetime.datetime) -> None:
    """Refuse a date, or a timestamp's UTC day, outside the window the settings open.

    A timestamp counts on its UTC day, as the database check reads it (an alert's local day,
    which the figures count it on, is checked by the alert's own clean); it is compared as an
    instant, so no conversion can overflow at the far ends of the calendar.
    """
    first, last = record_dates_window()
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):  # as Django saves it: in the default time zone
            value = timezone.make_aware(value)
        inside = utc_midnight(first) <= value < utc_midnight(last) + datetime.timedelta(days=1)
    else:
        inside = first <= value <= last
    if not inside:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={
                "first": formats.date_format(first, "j F Y"),
                "last": formats.date_format(last, "j F Y"),
            },
        )
