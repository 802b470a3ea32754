"""Dates read the same way in both languages: the day before the month, a 24-hour clock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format, time_format

FOURTH_OF_MARCH = datetime.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [("en", "4 Mar 2026", "4 March 2026"), ("fr", "04/03/2026", "4 mars 2026")],
)
def test_dates_put_the_day_first(language: str, short: str, long: str) -> None:
    with translation.override(language):
        assert date_format(FOURTH_OF_MARCH, "SHORT_DATE_FORMAT") == short
        assert date_format(FOURTH_OF_MARCH) == long
        assert time_format(datetime.time(14, 5)) == "14:05"
