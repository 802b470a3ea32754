"""Bucket ranges: what a change to a record makes stale, in a form a task can carry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
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


# Past this many areas of one indicator in one mission, a refresh rewrites every area of the
# mission at once. Each area's range also recomputes the buckets above it (its area of
# responsibility, sector and the whole mission), so a batch spread over many localities would
# recompute those once per locality, at 25 to 140 ms a range (docs/performance.md), and its task
# would carry one key per locality; one range over every area does each bucket once.
MAX_AREAS_PER_RANGE = 16


def merge(ranges: Iterable[BucketRange]) -> list[BucketRange]:
    """One range per indicator, mission and area, spanning all of their dates; one range over
    every area instead when an indicator has more than MAX_AREAS_PER_RANGE areas in a mission,
    and none for an area whose dates a range over every area already covers."""
    spans: dict[tuple[int, int], dict[int | str, tuple[datetime.date, datetime.date]]] = {}
    for r in ranges:
        areas = spans.setdefault((r.indicator_id, r.mission_id), {})
        lo, hi = areas.get(r.area, (r.start, r.end))
        areas[r.area] = (min(lo, r.start), max(hi, r.end))
    merged = []
    for (indicator_id, mission_id), areas in spans.items():
        if len(areas) > MAX_AREAS_PER_RANGE:
            starts, ends = zip(*areas.values(), strict=True)
            areas = {ALL_AREAS: (min(starts), max(ends))}
        everywhere = areas.get(ALL_AREAS)
        for area, (lo, hi) in areas.items():
            covered = everywhere is not None and everywhere[0] <= lo and hi <= everywhere[1]
            if area == ALL_AREAS or not covered:
                merged.append(BucketRange(indicator_id, mission_id, area, lo, hi))
    return sorted(merged, key=lambda r: (r.mission_id, r.indicator_id, str(r.area), r.start))


@dataclass(frozen=True)
class Window:
    """The buckets a refresh rewrites: periods overlapping [start, end] at the given areas.

    `area_keys` None means every area; 0 stands for the whole mission.
    """

    start: datetime.date
    end: datetime.date
    area_keys: frozenset[int] | None = None
    # only these buckets, each from the facts up to a day: (period kind, start, last day)
    spans: tuple[tuple[str, datetime.date, datetime.date], ...] = ()
