"""Bucket ranges: what a batch of changes asks the refresh to recompute."""

import datetime

from indicators.rollups.ranges import (
    ALL_AREAS,
    MAX_AREAS_PER_RANGE,
    WHOLE_MISSION,
    BucketRange,
    merge,
)

JAN = datetime.date(2026, 1, 1)
MAR = datetime.date(2026, 3, 1)
JUN = datetime.date(2026, 6, 1)


def test_merge_spans_the_dates_of_each_indicator_mission_and_area() -> None:
    ranges = [
        BucketRange(1, 1, 10, MAR, MAR),
        BucketRange(1, 1, 10, JAN, JAN),
        BucketRange(1, 1, WHOLE_MISSION, JUN, JUN),
        BucketRange(2, 1, 10, JUN, JUN),
        BucketRange(1, 2, 10, JUN, JUN),
    ]

    assert merge(ranges) == [
        BucketRange(1, 1, WHOLE_MISSION, JUN, JUN),
        BucketRange(1, 1, 10, JAN, MAR),
        BucketRange(2, 1, 10, JUN, JUN),
        BucketRange(1, 2, 10, JUN, JUN),
    ]


def test_merge_takes_every_area_at_once_past_the_limit() -> None:
    day = datetime.timedelta(days=1)
    few = [BucketRange(1, 1, area, JAN + area * day, JAN + area * day) for area in range(1, 17)]
    many = [*few, BucketRange(1, 1, 17, JUN, JUN)]

    assert len(few) == MAX_AREAS_PER_RANGE
    assert merge(few) == sorted(few, key=lambda r: str(r.area))
    assert merge(many) == [BucketRange(1, 1, ALL_AREAS, JAN + day, JUN)]


def test_merge_drops_an_area_whose_dates_every_area_already_covers() -> None:
    ranges = [
        BucketRange(1, 1, ALL_AREAS, JAN, MAR),
        BucketRange(1, 1, 10, JAN, JAN),
        BucketRange(1, 1, 11, MAR, JUN),
    ]

    assert merge(ranges) == [
        BucketRange(1, 1, ALL_AREAS, JAN, MAR),
        BucketRange(1, 1, 11, MAR, JUN),
    ]
