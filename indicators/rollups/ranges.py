"""Bucket ranges: what a change to a record makes stale, in a form a task can carry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ALL_AREAS = "*"
WHOLE_MISSION = "-"


@dataclass(frozen=True, order=True)
class BucketRange:
    """The rollups of one indicator in one mission whose periods overlap [start, end].

    `area` is the area a record sits in (its buckets and those of the areas above it),
    WHOLE_MISSION for records without an area, or ALL_AREAS.
    """

    indicator_id: int
    mission_id: int
    area: int | str
    start: datetime.date
    end: datetime.date

    def to_key(self) -> str:
        return f"{self.indicator_id}:{self.mission_id}:{self.area}:{self.start}:{self.end}"

    @classmethod
    def from_key(cls, key: str) -> BucketRange:
        indicator_id, mission_id, area, start, end = key.split(":")
        return cls(
            indicator_id=int(indicator_id),
            mission_id=int(mission_id),
            area=area if area in (ALL_AREAS, WHOLE_MISSION) else int(area),
            start=datetime.date.fromisoformat(start),
            end=datetime.date.fromisoformat(end),
        )


def merge(ranges: list[BucketRange]) -> list[BucketRange]:
    """One range per indicator, mission and area, spanning all of their dates."""
    spans: dict[tuple, tuple[datetime.date, datetime.date]] = {}
    for r in ranges:
        key = (r.indicator_id, r.mission_id, str(r.area))
        lo, hi = spans.get(key, (r.start, r.end))
        spans[key] = (min(lo, r.start), max(hi, r.end))
    merged = {
        BucketRange(
            i,
            m,
            ALL_AREAS if a == ALL_AREAS else WHOLE_MISSION if a == WHOLE_MISSION else int(a),
            lo,
            hi,
        )
        for (i, m, a), (lo, hi) in spans.items()
    }
    return sorted(merged, key=lambda r: (r.mission_id, r.indicator_id, str(r.area), r.start))
