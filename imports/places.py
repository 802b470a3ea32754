"""Place an event in its mission's hierarchy: by p-code, by admin names, or by the nearest locality.

Names match without regard to case, accents, punctuation or words such as "province" or
"territoire", so "Nord-Kivu Province" finds the sector "Nord Kivu". With `create`, the levels
a file names and the mission lacks are created (through the missions' service), so a new mission
can be set up from its data. An event nothing places stays at mission level, and is counted.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from missions.choices import AreaKind
from missions.models import Area, Mission

if TYPE_CHECKING:
    from accounts.models import User

# Words that name the kind of place rather than the place, dropped from either end of a name.
KIND_WORDS = frozenset(
    """
    province provincia region regione departement department district county state prefecture
    sous subprefecture sousprefecture territory territoire commune municipality city town ville
    village cercle governorate wilaya payam boma chiefdom chefferie secteur sector zone
    """.split()
)
LINKING_WORDS = frozenset({"of", "de", "du", "des", "d", "la", "le", "l"})
EARTH_KM = 6371.0088
GRID_DEGREES = 0.5


def normalize(name: str) -> str:
    """A place name reduced to what identifies it: "Province du Nord-Kivu" → "nord kivu"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    words = plain.split()
    core = list(words)
    while core and (core[0] in KIND_WORDS or core[0] in LINKING_WORDS) and len(core) > 1:
        core.pop(0)
    while core and core[-1] in KIND_WORDS and len(core) > 1:
        core.pop()
    return " ".join(core or words)


def plain_name(name: str) -> str:
    """A name as written, without the words naming its kind: "Kasai Province" → "Kasai"."""
    words = name.split()
    while len(words) > 1 and (
        normalize(words[0]) in KIND_WORDS | LINKING_WORDS or not normalize(words[0])
    ):
        words.pop(0)
    while len(words) > 1 and normalize(words[-1]) in KIND_WORDS:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class PlaceRef:
    """Where a row says its event happened, as the file writes it."""

    sector: str = ""
    aor: str = ""
    locality: str = ""
    pcode: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def names(self) -> tuple[str, str, str]:
        return (self.sector, self.aor, self.locality)


@dataclass
class PlaceCounts:
    """How the rows were placed, for the import's summary."""

    by: Counter[str] = field(default_factory=Counter)  # pcode, names, coordinates, mission
    unmatched: Counter[str] = field(default_factory=Counter)  # names the mission lacks
    created: list[dict[str, str]] = field(default_factory=list)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class PlaceFinder:
    """The mission's areas, indexed once per import, and the areas the import creates."""

    def __init__(
        self,
        *,
        mission: Mission,
        by: User,
        create: bool,
        max_distance_km: float,
    ) -> None:
        self.mission = mission
        self.by = by
        self.create = create
        self.max_distance_km = max_distance_km
        self.counts = PlaceCounts()
        self.by_pcode: dict[str, Area] = {}
        self.sectors: dict[str, Area] = {}
        self.children: dict[tuple[int, str], Area] = {}
        self.anywhere: dict[tuple[str, str], list[Area]] = defaultdict(list)
        self.grid: dict[tuple[int, int], list[Area]] = defaultdict(list)
        self.memo: dict[tuple[str, tuple[str, str, str]], tuple[Area | None, str, str]] = {}
        for area in Area.objects.for_mission(mission).order_by("pk"):
            self._index(area)

    def _index(self, area: Area) -> None:
        key = normalize(area.name)
        if area.pcode:
            self.by_pcode[area.pcode.strip().upper()] = area
        if area.kind == AreaKind.SECTOR:
            self.sectors[key] = area
        elif area.parent_id is not None:
            self.children[(area.parent_id, key)] = area
        self.anywhere[(area.kind, key)].append(area)
        if area.kind == AreaKind.LOCALITY and area.latitude is not None:
            assert area.longitude is not None
            self.grid[self._cell(float(area.latitude), float(area.longitude))].append(area)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES))

    def place(self, ref: PlaceRef) -> Area | None:
        """The area an event belongs in, or None for the mission as a whole."""
        key = (ref.pcode.strip().upper(), ref.names)
        if key not in self.memo:
            self.memo[key] = self._by_code_or_names(ref)
        area, how, unmatched = self.memo[key]
        if unmatched:
            self.counts.unmatched[unmatched] += 1
        if how != "pcode" and (area is None or area.kind != AreaKind.LOCALITY):
            near = self._nearest(ref, within=area)
            if near is not None:
                area, how = near, "coordinates"
        if area is None:
            how = "mission"
        self.counts.by[how] += 1
        return area

    def _by_code_or_names(self, ref: PlaceRef) -> tuple[Area | None, str, str]:
        pcode = ref.pcode.strip().upper()
        if pcode and pcode in self.by_pcode:
            return self.by_pcode[pcode], "pcode", ""
        area, unmatched = self._by_names(ref)
        return area, "names", unmatched

    def _by_names(self, ref: PlaceRef) -> tuple[Area | None, str]:
        """The deepest area the names lead to, creating the missing levels when asked, and
        the first name the mission lacks ("" when every name given matched)."""
        keys = [normalize(name) if name.strip() else "" for name in ref.names]
        kinds = (AreaKind.SECTOR, AreaKind.AOR, AreaKind.LOCALITY)
        found: Area | None = None
        for depth, (kind, key) in enumerate(zip(kinds, keys, strict=True)):
            if not key:
                continue
            if found is not None:
                match = self.children.get((found.pk, key))
            elif depth == 0:
                match = self.sectors.get(key)
            else:
                # no level above was given or matched: a name unique in the mission will do
                candidates = self.anywhere.get((kind, key), [])
                match = candidates[0] if len(candidates) == 1 else None
            creatable = depth == 0 or (found is not None and found.kind == kinds[depth - 1])
            if match is None and self.create and creatable:
                match = self._create(kind, plain_name(ref.names[depth]), parent=found)
            if match is None:
                return found, f"{AreaKind(kind).label}: {ref.names[depth].strip()}"
            found = match
        return found, ""

    def _create(self, kind: str, name: str, *, parent: Area | None) -> Area:
        from missions.services import area_create

        area = area_create(by=self.by, mission=self.mission, kind=kind, parent=parent, name=name)
        self._index(area)
        self.counts.created.append(
            {"kind": kind, "name": name, "parent": parent.name if parent else ""}
        )
        return area

    def _nearest(self, ref: PlaceRef, *, within: Area | None) -> Area | None:
        """The closest locality within the distance allowed (inside `within`, if given)."""
        if ref.latitude is None or ref.longitude is None:
            return None
        lat, lon = float(ref.latitude), float(ref.longitude)
        row, col = self._cell(lat, lon)
        # cells of half a degree: the neighbours cover any distance up to about 55 km
        reach = max(1, math.ceil(self.max_distance_km / (GRID_DEGREES * 111)))
        best: tuple[float, int] | None = None
        chosen: Area | None = None
        for dr in range(-reach, reach + 1):
            for dc in range(-reach, reach + 1):
                for area in self.grid.get((row + dr, col + dc), ()):
                    if within is not None and within.pk not in (area.sector_id, area.aor_id):
                        continue
                    assert area.latitude is not None and area.longitude is not None
                    km = _distance_km(lat, lon, float(area.latitude), float(area.longitude))
                    if km <= self.max_distance_km and (best is None or (km, area.pk) < best):
                        best, chosen = (km, area.pk), area
        return chosen
