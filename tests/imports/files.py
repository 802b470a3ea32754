"""Generated event files in the shape of UCDP GED and ACLED extracts, and the figures in them.

The events span many years (from 1989, as GED does), some last several days or run across two
months, some name no admin area, and the names are written as the datasets write them
("Nord-Kivu Province", "Beni territory") while the mission's areas are plain ("Nord Kivu").
`expected_*` compute the figures straight from the file's rows with the csv module alone.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from missions.choices import AreaKind
from missions.models import Area, Mission

GED_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_new_id",
    "dyad_name", "side_a", "side_b", "source_headline", "where_prec", "where_coordinates",
    "adm_1", "adm_2", "latitude", "longitude", "country", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
]  # fmt: skip
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip

# The mission's hierarchy as the tests build it, and as the files write its names.
SECTORS = {
    "Nord Kivu": ("Nord-Kivu Province", {"Beni": ("Beni territory", ["Oicha", "Eringeti"]),
                                         "Lubero": ("Lubero", ["Butembo"])}),
    "Ituri": ("Province de l'Ituri", {"Djugu": ("Djugu territoire", ["Bunia", "Fataki"])}),
    "Sud Kivu": ("SUD-KIVU", {"Fizi": ("Fizi", ["Baraka"])}),
}  # fmt: skip
HOST = "Testland"


def build_mission_areas(mission: Mission) -> dict[str, Area]:
    """Create the mission's sectors, areas of responsibility and localities (with points)."""
    areas: dict[str, Area] = {}
    rng = random.Random(7)
    for sector_name, (_written, aors) in SECTORS.items():
        sector = Area.objects.create(mission=mission, kind=AreaKind.SECTOR, name=sector_name)
        areas[sector_name] = sector
        for aor_name, (_aor_written, localities) in aors.items():
            aor = Area.objects.create(
                mission=mission, kind=AreaKind.AOR, name=aor_name, parent=sector
            )
            areas[aor_name] = aor
            for locality in localities:
                areas[locality] = Area.objects.create(
                    mission=mission,
                    kind=AreaKind.LOCALITY,
                    name=locality,
                    parent=aor,
                    latitude=Decimal(rng.uniform(-4, 2)).quantize(Decimal("0.0001")),
                    longitude=Decimal(rng.uniform(27, 30)).quantize(Decimal("0.0001")),
                )
    return areas


def _places() -> list[tuple[str, str, str, str]]:
    """(sector as written, AOR as written, locality, the mission's sector) for each locality."""
    return [
        (written, aor_written, locality, sector)
        for sector, (written, aors) in SECTORS.items()
        for _aor, (aor_written, localities) in aors.items()
        for locality in localities
    ]


def _day(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    start = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year, 11, 30).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


def ged_rows(
    count: int, *, seed: int = 1, first_year: int = 1989, first_id: int = 100000
) -> list[dict[str, str]]:
    """GED-shaped events: one-sided violence and fighting, in every shape the tests need."""
    rng = random.Random(seed)
    places = _places()
    rows = []
    for n in range(count):
        start = _day(rng, first_year, 2026)
        shape = rng.random()
        if shape < 0.1:  # spans two months: the figures count it on its first day
            start = start.replace(day=28)
            end = start + datetime.timedelta(days=rng.randint(4, 6))
        elif shape < 0.3:  # lasts several days within a month
            end = start + datetime.timedelta(days=rng.randint(1, 2))
        else:
            end = start
        violence = rng.choice([1, 2, 3, 3])
        side_a = rng.choice([f"Government of {HOST}", "ADF", "CODECO", "Government of Rwanda"])
        sector, aor, locality, _sector = rng.choice(places)
        latitude, longitude = f"{rng.uniform(-4, 2):.4f}", f"{rng.uniform(27, 30):.4f}"
        if rng.random() < 0.08:  # no admin names and no point: the mission as a whole
            sector = aor = locality = latitude = longitude = ""
        civilians = rng.choice([0, 0, 1, 2, 3, 5, 12])
        rows.append(
            {
                "id": str(first_id + n),
                "relid": f"DRC-{start.year}-1-{n}",
                "year": str(start.year),
                "active_year": "1",
                "code_status": "Clear",
                "type_of_violence": str(violence),
                "conflict_new_id": "123",
                "dyad_name": f"{side_a} - Civilians",
                "side_a": side_a,
                "side_b": "Civilians" if violence == 3 else "M23",
                # real extracts quote headlines with line breaks in them
                "source_headline": f'Attack near {locality or "unknown"}\n"{n}"; reports',
                "where_prec": str(rng.randint(1, 4)),
                "where_coordinates": f"{locality} town" if locality else "",
                "adm_1": sector,
                "adm_2": aor,
                "latitude": latitude,
                "longitude": longitude,
                "country": "DR Congo (Zaire)",
                "date_prec": "1" if end == start else "2",
                "date_start": start.isoformat() + (" 00:00:00.000" if n % 3 == 0 else ""),
                "date_end": end.isoformat() + (" 00:00:00.000" if n % 3 == 0 else ""),
                "deaths_a": str(rng.randint(0, 3)),
                "deaths_b": str(rng.randint(0, 3)),
                "deaths_civilians": str(civilians),
                "deaths_unknown": str(rng.randint(0, 2)),
                "best": str(civilians + 2),
                "high": str(civilians + 5),
                "low": str(civilians),
            }
        )
    return rows


def acled_rows(count: int, *, seed: int = 2, first_year: int = 1997) -> list[dict[str, str]]:
    """ACLED-shaped events; dates written day-month-year, as older ACLED exports do."""
    rng = random.Random(seed)
    places = _places()
    kinds = [
        ("Violence against civilians", "Attack", "Civilian targeting"),
        ("Violence against civilians", "Abduction/forced disappearance", "Civilian targeting"),
        ("Battles", "Armed clash", ""),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", ""),
        ("Strategic developments", "Looting/property destruction", ""),
    ]
    actors = [
        ("Military Forces of Testland (2019-)", "State forces"),
        ("ADF: Allied Democratic Forces", "Rebel group"),
        ("CODECO: Cooperative for Development of Congo", "Identity militia"),
        ("Military Forces of Rwanda (2000-)", "1"),
    ]
    rows = []
    for n in range(count):
        day = _day(rng, first_year, 2026)
        event_type, sub_type, targeting = rng.choice(kinds)
        actor, inter = rng.choice(actors)
        sector, aor, locality, _sector = rng.choice(places)
        latitude, longitude = f"{rng.uniform(-4, 2):.4f}", f"{rng.uniform(27, 30):.4f}"
        if rng.random() < 0.08:
            sector = aor = locality = latitude = longitude = ""
        rows.append(
            {
                "event_id_cnty": f"DRC{n + 1}",
                "event_date": day.strftime("%d %B %Y"),
                "year": str(day.year),
                "time_precision": str(rng.randint(1, 3)),
                "disorder_type": "Political violence",
                "event_type": event_type,
                "sub_event_type": sub_type,
                "actor1": actor,
                "assoc_actor_1": "",
                "inter1": inter,
                "actor2": "Civilians (Testland)",
                "assoc_actor_2": "",
                "inter2": "Civilians",
                "interaction": "Rebel group-Civilians",
                "civilian_targeting": targeting,
                "iso": "180",
                "region": "Middle Africa",
                "country": "Testland",
                "admin1": sector,
                "admin2": aor,
                "admin3": "",
                "location": locality,
                "latitude": latitude,
                "longitude": longitude,
                "geo_precision": str(rng.randint(1, 3)),
                "source": "Radio Okapi; Reuters",
                "source_scale": "National",
                "notes": f"On {day:%d %B %Y}, armed men attacked {locality or 'a village'}.",
                "fatalities": str(rng.choice([0, 0, 1, 2, 4, 9])),
                "tags": "",
                "timestamp": "1700000000",
            }
        )
    return rows


def write_csv(
    path: Path, columns: list[str], rows: Iterable[dict[str, str]], **dialect: str
) -> Path:
    with path.open("w", newline="", encoding=dialect.pop("encoding", "utf-8")) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, **dialect)  # type: ignore[arg-type]
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, columns: list[str], rows: Iterable[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(columns)
    for row in rows:
        sheet.append([_typed(row[column]) for column in columns])
    book.save(path)
    return path


def _typed(value: str) -> object:
    """Numbers as numbers and ISO dates as dates, as a spreadsheet holds them."""
    if value.isdigit():
        return int(value)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value


def read_back(data: bytes) -> list[dict[str, str]]:
    """The rows of a generated CSV, read with the csv module alone."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _sector_of(written: str) -> str | None:
    for sector, (name, _aors) in SECTORS.items():
        if name == written:
            return sector
    return None


def ged_killed(rows: Iterable[dict[str, str]]) -> dict[str, Counter[object]]:
    """Civilians killed by year, by month and by sector, summed straight from GED rows."""
    return _sums(
        (row["date_start"][:10], row["adm_1"], int(row["deaths_civilians"])) for row in rows
    )


CIVILIAN_EVENTS = {"Violence against civilians"}


def acled_killed(rows: Iterable[dict[str, str]]) -> dict[str, Counter[object]]:
    """Civilians killed as ACLED counts them: fatalities of events that target civilians."""
    return _sums(
        (
            datetime.datetime.strptime(row["event_date"], "%d %B %Y").date().isoformat(),  # noqa: DTZ007
            row["admin1"],
            int(row["fatalities"]),
        )
        for row in rows
        if row["event_type"] in CIVILIAN_EVENTS or row["civilian_targeting"]
    )


def _sums(events: Iterable[tuple[str, str, int]]) -> dict[str, Counter[object]]:
    by_year: Counter[object] = Counter()
    by_month: Counter[object] = Counter()
    by_sector: Counter[object] = Counter()
    for day, sector, killed in events:
        date = datetime.date.fromisoformat(day)
        by_year[date.year] += killed
        by_month[date.replace(day=1)] += killed
        if sector:
            by_sector[(_sector_of(sector), date.year)] += killed
    return {"year": by_year, "month": by_month, "sector": by_sector}
