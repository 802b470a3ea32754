"""What every stage of one mission's generation shares: its places, people, threats and dice."""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.db import reset_queries
from django.db.models import Model

from missions.models import Mission

from .gazetteer import MissionTemplate
from .options import SeedOptions
from .reference import Reference

T = TypeVar("T")
M = TypeVar("M", bound=Model)
Report = Callable[[str, int, int], None]  # stage, rows done, rows expected


@dataclass(frozen=True)
class AreaRow:
    pk: int
    name: str
    kind: str
    lat: float
    lon: float
    sector_pk: int | None = None
    aor_pk: int | None = None
    locality_type: str = ""


@dataclass
class AreaSet:
    sectors: list[AreaRow]
    aors: list[AreaRow]
    localities: list[AreaRow]
    by_aor: dict[int | None, list[AreaRow]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_aor = defaultdict(list)
        for locality in self.localities:
            self.by_aor[locality.aor_pk].append(locality)


@dataclass(frozen=True)
class ThreatRow:
    pk: int
    aor_pk: int
    threat_type: str
    perpetrator_category: str
    perpetrator_actor: str
    identified_on: datetime.date
    closed_on: datetime.date | None
    risk_score: int
    # its risk history: (the day an assessment took effect, its score), oldest first
    scores: tuple[tuple[datetime.date, int], ...] = ()

    def live_on(self, day: datetime.date) -> bool:
        return self.identified_on <= day and (self.closed_on is None or day <= self.closed_on)

    def risk_score_on(self, day: datetime.date) -> int | None:
        """The score in force on `day`, or None before the first assessment."""
        in_force = [score for since, score in self.scores if since <= day]
        return in_force[-1] if in_force else None


class Calendar:
    """Picks days in the window, busier in the dry season, with a few flare-ups and a drift.

    Built once per mission from its own dice, so incidents, alerts and activities rise and fall
    together, as they do in a real mission.
    """

    def __init__(self, options: SeedOptions, rng: random.Random) -> None:
        self.start, self.days = options.start, options.days
        flare_ups = [rng.randrange(self.days) for _ in range(2 * options.years)]
        drift = rng.uniform(-0.3, 0.4)
        weights = []
        for offset in range(self.days):
            day = self.start + datetime.timedelta(days=offset)
            season = 1 + 0.35 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 45) / 365)
            flare = 2.5 if any(0 <= offset - f < 12 for f in flare_ups) else 1.0
            weights.append(season * flare * (1 + drift * offset / self.days))
        self._cumulative = list(itertools.accumulate(weights))

    def day(self, rng: random.Random) -> datetime.date:
        offset = bisect.bisect(self._cumulative, rng.random() * self._cumulative[-1])
        return self.start + datetime.timedelta(days=min(offset, self.days - 1))


@dataclass
class MissionContext:
    """One mission being generated: the handles each stage reads, and the running tallies."""

    mission: Mission
    index: int
    template: MissionTemplate
    options: SeedOptions
    reference: Reference
    report: Report
    areas: AreaSet = field(default_factory=lambda: AreaSet([], [], []))
    users: dict[str, int] = field(default_factory=dict)  # mission role → user pk
    threats: list[ThreatRow] = field(default_factory=list)
    # Yearly actuals, keyed (measure, year), from which targets are set.
    # (zero for a measure not seen, as a Counter would give, but with room for fractions)
    tally: defaultdict[tuple[Any, ...], float] = field(
        default_factory=lambda: defaultdict[tuple[Any, ...], float](int)
    )
    response_hours: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def rng(self, stage: str) -> random.Random:
        """Dice for one stage: the same options always roll the same numbers."""
        return random.Random(f"{self.options.seed}:{self.mission.acronym}:{stage}")

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.mission.time_zone)

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar(self.options, self.rng("calendar"))

    @cached_property
    def hotspots(self) -> Choice:
        """Areas of responsibility, weighted by how violent each is."""
        rng = self.rng("hotspots")
        return Choice({aor: rng.choice((1, 2, 3, 5, 8)) for aor in self.areas.aors})

    def at(self, day: datetime.date, hours: float) -> datetime.datetime:
        """The moment `hours` after local midnight of `day`, in the mission's time zone."""
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=self.tz)
        return midnight + datetime.timedelta(hours=hours)

    def threats_by_aor(self) -> dict[int, list[ThreatRow]]:
        grouped: dict[int, list[ThreatRow]] = defaultdict(list)
        for threat in self.threats:
            grouped[threat.aor_pk].append(threat)
        return grouped


def insert(model: type[M], rows: Iterable[M]) -> list[M]:
    """Insert one batch of rows and return them with their primary keys."""
    created = model._default_manager.bulk_create(list(rows))
    # With DEBUG on, Django keeps the SQL of recent queries; a bulk insert's runs to megabytes.
    reset_queries()
    return created


def chunked(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class Choice:
    """A weighted choice among keys, prepared once for the hot loops."""

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.keys = list(weights)
        self.weights = list(weights.values())
        self.cumulative = list(itertools.accumulate(weights.values()))

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]

    def split(self, rng: random.Random, total: int) -> Counter[Any]:
        """Share `total` people out among the keys, person by person."""
        return Counter(rng.choices(self.keys, cum_weights=self.cumulative, k=total))
