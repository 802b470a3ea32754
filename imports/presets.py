"""How each shape of file becomes incidents: UCDP GED and ACLED from their codebooks, or a mapping.

A preset reads one row into a `Draft`: the incident's fields, where the row says it happened,
and its source's event id. Every cell that holds no valid value is named with its column and
the reason; the engine adds the line. A mapping (JSON) can also adjust the two public presets:
which columns name the sector, the area of responsibility and the locality, which actors are
the host state's, the date the figures count an event on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.choices import CASUALTY_GROUPS, Harm, Precision, casualty_field
from missions.models import Mission
from threats.choices import PerpetratorCategory, ViolenceType

from . import cells
from .choices import Preset
from .places import PlaceRef, normalize

# The name each public dataset is known by on its incidents, and the credit its terms ask for.
UCDP_GED = "UCDP GED"
ACLED = "ACLED"
ATTRIBUTIONS: dict[str, Any] = {
    UCDP_GED: gettext_lazy(
        "Uppsala Conflict Data Program (UCDP), Georeferenced Event Dataset: Sundberg, Ralph, "
        "and Erik Melander, 2013, “Introducing the UCDP Georeferenced Event Dataset”, Journal "
        "of Peace Research 50(4)."
    ),
    ACLED: gettext_lazy("Armed Conflict Location & Event Data (ACLED), acleddata.com."),
}

CASUALTY_FIELDS = [casualty_field(harm, group) for harm in Harm.values for group in CASUALTY_GROUPS]
TEXT_FIELDS = {"location_name": 200, "perpetrator_actor": 200, "description": None}
CHOICE_FIELDS: dict[str, Any] = {
    "incident_type": ViolenceType,
    "perpetrator_category": PerpetratorCategory,
    "date_precision": Precision,
    "location_precision": Precision,
}
# Every incident field a mapping may fill from a column or a constant.
MAPPABLE = {
    "external_id",
    "occurred_on",
    "ended_on",
    "latitude",
    "longitude",
    "people_displaced",
    *TEXT_FIELDS,
    *CHOICE_FIELDS,
    *CASUALTY_FIELDS,
}
PLACE_LEVELS = ("sector", "aor", "locality", "pcode")


class MappingError(ValueError):
    """A mapping that cannot read any file: it names an unknown field, column or value."""


class RowError(Exception):
    """The cells of one row that hold no valid value: [(column, reason), ...]."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Draft:
    """One row read: the incident's fields, where it happened, and its source's event id."""

    line: int
    external_id: str
    fields: dict[str, Any]
    place: PlaceRef
    # the column each field was read from, to name it in an error found later
    columns: dict[str, str] = field(default_factory=dict)


class Cells:
    """One row's cells, read column by column; every bad cell is kept, none stops the row."""

    def __init__(self, row: Mapping[str, str]) -> None:
        self.row = row
        self.errors: list[tuple[str, str]] = []

    def raw(self, column: str) -> str:
        return self.row.get(column.casefold(), "") or ""

    def read(self, column: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return parse(self.raw(column))
        except cells.CellError as error:
            self.errors.append((column, str(error)))
            return default

    def fail(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))


def _choice(choices: Any, values: Mapping[str, str]) -> Callable[[str], str | None]:
    """Read a code: through the mapping's value map, else the stored value or its label."""
    known = {normalize(str(c.label)): c.value for c in choices} | {
        c.value.casefold(): c.value for c in choices
    }
    mapped = {key.strip().casefold(): value for key, value in values.items()}

    def parse(value: str) -> str | None:
        value = value.strip()
        if not value:
            return None
        found = mapped.get(value.casefold()) or known.get(value.casefold())
        found = found or known.get(normalize(value))
        if found is None:
            raise cells.CellError(_("%(value)s is not a known code.") % {"value": value[:60]})
        return found

    return parse


def _precision(codes: Mapping[int, str]) -> Callable[[str], str]:
    """A source's numeric precision code read into exact / approximate / region."""

    def parse(value: str) -> str:
        number = cells.count(value)
        if number not in codes:
            raise cells.CellError(_("%(value)s is not a precision code.") % {"value": value[:20]})
        return codes[number]

    return parse


class Base:
    """What every preset shares: the mapping's place columns, actors and figure date."""

    preset: str
    source: str
    # the columns a file must have (lower case); a mapping's own place columns are added
    required: tuple[str, ...] = ()
    places: dict[str, str] = {}
    date_format: str | None = None  # strptime's, for a file whose dates are none of the usual

    def __init__(self, mapping: Mapping[str, Any], mission: Mission) -> None:
        known = {"places", "host_state_actors", "figure_date", "sheet", "max_distance_km"}
        known |= self.extra_keys()
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise MappingError(
                _("The mapping has unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)}
            )
        self.mission = mission
        places = mapping.get("places", {})
        if not isinstance(places, dict) or set(places) - set(PLACE_LEVELS):
            raise MappingError(
                _("“places” maps some of %(levels)s to column names.")
                % {"levels": ", ".join(PLACE_LEVELS)}
            )
        self.places = {**self.places, **{k: str(v) for k, v in places.items()}}
        actors = mapping.get("host_state_actors", [])
        if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
            raise MappingError(_("“host_state_actors” is a list of actor names."))
        self.host_actors = {normalize(a) for a in actors}
        self.host_country = normalize(mission.host_country)
        figure_date = mapping.get("figure_date", "start")
        if figure_date not in ("start", "end"):
            raise MappingError(_("“figure_date” is “start” or “end”."))
        self.figure_date = figure_date
        self.sheet = mapping.get("sheet")
        try:
            self.max_distance_km = float(mapping.get("max_distance_km", 0)) or None
        except (TypeError, ValueError):
            raise MappingError(_("“max_distance_km” is a number.")) from None

    def extra_keys(self) -> set[str]:
        return set()

    def columns_needed(self) -> set[str]:
        return {*self.required, *(c.casefold() for c in self.places.values())}

    def place(self, row: Cells, latitude: Any, longitude: Any) -> PlaceRef:
        return PlaceRef(
            **{level: row.raw(column).strip() for level, column in self.places.items()},
            latitude=latitude,
            longitude=longitude,
        )

    def government(self, actor: str) -> str:
        """The category of a state's forces: the host state's own, or another state's.

        The host state's are those naming the mission's host country ("Government of Mali",
        "Military Forces of Mali (2021-)") and those the mapping lists under
        `host_state_actors` (for another spelling: "Government of DR Congo (Zaire)").
        """
        key = normalize(actor)
        if key in self.host_actors or self.host_country and self.host_country in key:
            return PerpetratorCategory.HOST_STATE_FORCES
        return PerpetratorCategory.FOREIGN_STATE_FORCES

    def dates(self, row: Cells, start_column: str, end_column: str | None) -> dict[str, Any]:
        def read(value: str) -> Any:
            return cells.date(value, date_format=self.date_format)

        start = row.read(start_column, read)
        end = row.read(end_column, read) if end_column else None
        if start is None and not any(c == start_column for c, _r in row.errors):
            row.fail(start_column, _("The date is missing."))
        if start and end and end < start:
            row.fail(end_column or start_column, _("The last day comes before the first."))
        if self.figure_date == "end" and end:
            return {"occurred_on": end, "ended_on": None}
        return {"occurred_on": start, "ended_on": end if end and end != start else None}

    def read(self, line: int, values: Mapping[str, str]) -> Draft:
        raise NotImplementedError

    def _draft(self, line: int, row: Cells, external_id: str, fields: dict[str, Any]) -> Draft:
        if not external_id:
            row.fail(self.id_column, _("The event id is missing."))
        if row.errors:
            raise RowError(row.errors)
        latitude, longitude = fields.get("latitude"), fields.get("longitude")
        return Draft(
            line=line,
            external_id=external_id,
            fields=fields,
            place=self.place(row, latitude, longitude),
        )

    id_column = "id"


# GED codes: date_prec 1 exact day, 2 within 2-6 days, 3 a week, 4 a month, 5 longer;
# where_prec 1 exact place, 2 within 25 km, 3 second-order admin, 4 first-order admin,
# 5 a line or area between places, 6 the country, 7 international waters or air space.
GED_DATE_PRECISION = {1: Precision.EXACT, 2: Precision.APPROXIMATE, 3: Precision.APPROXIMATE}
GED_DATE_PRECISION |= {4: Precision.REGION, 5: Precision.REGION}
GED_PLACE_PRECISION = {1: Precision.EXACT, 2: Precision.APPROXIMATE, 3: Precision.APPROXIMATE}
GED_PLACE_PRECISION |= {n: Precision.REGION for n in (4, 5, 6, 7)}
GED_SOURCE_FIGURES = ("deaths_a", "deaths_b", "deaths_unknown", "best", "high", "low")


class UcdpGed(Base):
    """UCDP's Georeferenced Event Dataset: one event of organised violence per row, keyed by id.

    Type 3 (one-sided violence) is violence against civilians by `side_a`; types 1 and 2 are
    fighting between two sides, whose civilian deaths no side is named for. `deaths_civilians`
    are civilians killed, sex and age unknown; the other death columns and the estimates stay
    on the incident as the source's own figures.
    """

    preset = Preset.UCDP_GED
    source = UCDP_GED
    required = (
        "id",
        "type_of_violence",
        "side_a",
        "side_b",
        "date_start",
        "date_end",
        "deaths_civilians",
        "latitude",
        "longitude",
    )
    places = {"sector": "adm_1", "aor": "adm_2", "locality": "where_coordinates"}

    def read(self, line: int, values: Mapping[str, str]) -> Draft:
        row = Cells(values)
        violence = row.read("type_of_violence", cells.count)
        if violence not in (None, 1, 2, 3):
            row.fail("type_of_violence", _("%(value)s is not 1, 2 or 3.") % {"value": violence})
        side_a = row.read("side_a", lambda v: cells.text(v, max_length=200), "")
        side_b = row.read("side_b", lambda v: cells.text(v, max_length=200), "")
        killed = row.read("deaths_civilians", cells.count, 0)
        fields: dict[str, Any] = self.dates(row, "date_start", "date_end")
        if violence == 3:
            category = self.actor(side_a)
            actor = side_a
        else:
            category, actor = PerpetratorCategory.UNKNOWN, f"{side_a} – {side_b}"[:200]
        figures: dict[str, Any] = {"type_of_violence": violence}
        for column in GED_SOURCE_FIGURES:
            if column.casefold() in values:
                figures[column] = row.read(column, cells.count)
        for column, codes, name in (
            ("date_prec", GED_DATE_PRECISION, "date_precision"),
            ("where_prec", GED_PLACE_PRECISION, "location_precision"),
        ):
            if row.raw(column).strip():
                fields[name] = row.read(column, _precision(codes), Precision.EXACT)
                figures[column] = row.read(column, cells.count)
        fields.update(
            incident_type=(
                ViolenceType.KILLING_MAIMING if violence == 3 or killed else ViolenceType.OTHER
            ),
            perpetrator_category=category,
            perpetrator_actor=actor,
            killed_unknown=killed,
            latitude=row.read("latitude", lambda v: cells.coordinate(v, limit=90)),
            longitude=row.read("longitude", lambda v: cells.coordinate(v, limit=180)),
            location_name=row.read(
                "where_coordinates", lambda v: cells.text(v, max_length=200), ""
            ),
            description=row.read("source_headline", cells.text, ""),
            source_figures=figures,
        )
        return self._draft(line, row, row.raw("id").strip(), fields)

    def actor(self, name: str) -> str:
        """GED names states' forces "Government of <country>"; other actors are armed groups."""
        if normalize(name).startswith("government of") or normalize(name) in self.host_actors:
            return self.government(name)
        return PerpetratorCategory.NON_STATE_ARMED_GROUP


# ACLED's actor types: inter1 / inter2, as numbers (older files) or as words (newer ones).
ACLED_INTER = {
    "1": "state",
    "state forces": "state",
    "2": PerpetratorCategory.NON_STATE_ARMED_GROUP,
    "rebel group": PerpetratorCategory.NON_STATE_ARMED_GROUP,
    "rebel groups": PerpetratorCategory.NON_STATE_ARMED_GROUP,
    "3": PerpetratorCategory.NON_STATE_ARMED_GROUP,
    "political militia": PerpetratorCategory.NON_STATE_ARMED_GROUP,
    "political militias": PerpetratorCategory.NON_STATE_ARMED_GROUP,
    "4": PerpetratorCategory.COMMUNAL_MILITIA,
    "identity militia": PerpetratorCategory.COMMUNAL_MILITIA,
    "identity militias": PerpetratorCategory.COMMUNAL_MILITIA,
    "5": PerpetratorCategory.UNKNOWN,
    "rioters": PerpetratorCategory.UNKNOWN,
    "6": PerpetratorCategory.UNKNOWN,
    "protesters": PerpetratorCategory.UNKNOWN,
    "7": PerpetratorCategory.UNKNOWN,
    "civilians": PerpetratorCategory.UNKNOWN,
    "8": PerpetratorCategory.FOREIGN_STATE_FORCES,
    "external/other forces": PerpetratorCategory.FOREIGN_STATE_FORCES,
    "0": PerpetratorCategory.UNKNOWN,
    "": PerpetratorCategory.UNKNOWN,
}
ACLED_TYPES = {
    ("violence against civilians", "sexual violence"): ViolenceType.SEXUAL_VIOLENCE,
    ("violence against civilians", "abduction/forced disappearance"): ViolenceType.ABDUCTION,
    ("violence against civilians", "attack"): ViolenceType.KILLING_MAIMING,
    ("explosions/remote violence", ""): ViolenceType.EXPLOSIVE_HAZARD,
    ("strategic developments", "looting/property destruction"): ViolenceType.DESTRUCTION_LOOTING,
    ("strategic developments", "arrests"): ViolenceType.ARBITRARY_DETENTION,
    ("riots", "mob violence"): ViolenceType.INTERCOMMUNAL_VIOLENCE,
}
ACLED_TIME_PRECISION = {1: Precision.EXACT, 2: Precision.APPROXIMATE, 3: Precision.REGION}
ACLED_GEO_PRECISION = {1: Precision.EXACT, 2: Precision.APPROXIMATE, 3: Precision.REGION}


class Acled(Base):
    """ACLED: one event per row keyed by `event_id_cnty`.

    Its `fatalities` count everyone killed; they are civilians killed (sex and age unknown)
    in violence against civilians and in events ACLED marks as civilian targeting, and otherwise
    stay on the incident as the source's own figure.
    """

    preset = Preset.ACLED
    source = ACLED
    id_column = "event_id_cnty"
    required = (
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "inter1",
        "fatalities",
        "latitude",
        "longitude",
    )
    places = {"sector": "admin1", "aor": "admin2", "locality": "location"}

    def read(self, line: int, values: Mapping[str, str]) -> Draft:
        row = Cells(values)
        fields: dict[str, Any] = self.dates(row, "event_date", None)
        event_type = row.raw("event_type").strip().casefold()
        sub_type = row.raw("sub_event_type").strip().casefold()
        fatalities = row.read("fatalities", cells.count, 0)
        targeting = bool(row.raw("civilian_targeting").strip())
        civilians = event_type == "violence against civilians" or targeting
        kind = ACLED_TYPES.get((event_type, sub_type)) or ACLED_TYPES.get((event_type, ""))
        if kind is None:
            kind = ViolenceType.KILLING_MAIMING if civilians and fatalities else ViolenceType.OTHER
        actor = row.read("actor1", lambda v: cells.text(v, max_length=200), "")
        inter = row.raw("inter1").strip().casefold()
        if inter not in ACLED_INTER:
            row.fail("inter1", _("%(value)s is not an ACLED actor type.") % {"value": inter[:40]})
        category = ACLED_INTER.get(inter, PerpetratorCategory.UNKNOWN)
        if category == "state" or normalize(actor) in self.host_actors:
            category = self.government(actor)
        if row.raw("time_precision").strip():
            fields["date_precision"] = row.read(
                "time_precision", _precision(ACLED_TIME_PRECISION), Precision.EXACT
            )
        if row.raw("geo_precision").strip():
            fields["location_precision"] = row.read(
                "geo_precision", _precision(ACLED_GEO_PRECISION), Precision.EXACT
            )
        figures = {
            "fatalities": fatalities,
            "event_type": row.raw("event_type").strip()[:100],
            "sub_event_type": row.raw("sub_event_type").strip()[:100],
            "source": row.read("source", lambda v: cells.text(v, max_length=2000), ""),
            "timestamp": row.raw("timestamp").strip()[:40],
        }
        fields.update(
            incident_type=kind,
            perpetrator_category=category,
            perpetrator_actor=actor,
            killed_unknown=fatalities if civilians else 0,
            latitude=row.read("latitude", lambda v: cells.coordinate(v, limit=90)),
            longitude=row.read("longitude", lambda v: cells.coordinate(v, limit=180)),
            location_name=row.read("location", lambda v: cells.text(v, max_length=200), ""),
            description=row.read("notes", cells.text, ""),
            source_figures=figures,
        )
        return self._draft(line, row, row.raw("event_id_cnty").strip(), fields)


class Generic(Base):
    """Any file: a mapping names the column of each incident field, value maps, constants.

    {"source": "Mission register", "columns": {"external_id": "Ref", "occurred_on": "Date",
     "incident_type": "Type", "killed_unknown": "Deaths"},
     "places": {"sector": "Province", "aor": "Territory", "locality": "Village"},
     "values": {"incident_type": {"Attack": "killing_maiming"}},
     "constants": {"perpetrator_category": "unknown"}, "date_format": "%d/%m/%Y"}
    """

    preset = Preset.GENERIC

    def extra_keys(self) -> set[str]:
        return {"source", "columns", "values", "constants", "date_format"}

    def __init__(self, mapping: Mapping[str, Any], mission: Mission) -> None:
        super().__init__(mapping, mission)
        source = mapping.get("source")
        if not isinstance(source, str) or not source.strip() or len(source) > 50:
            raise MappingError(_("“source” names the file's source, in at most 50 characters."))
        self.source = source.strip()
        self.columns = self._names(mapping.get("columns", {}), "columns", str)
        self.constants = self._names(mapping.get("constants", {}), "constants", object)
        values = self._names(mapping.get("values", {}), "values", dict)
        for name in values:
            if name not in CHOICE_FIELDS:
                raise MappingError(
                    _("“values” maps codes of %(fields)s only.")
                    % {"fields": ", ".join(sorted(CHOICE_FIELDS))}
                )
        if "external_id" not in self.columns:
            raise MappingError(
                _("Map a column to external_id: a file imported again must update its events.")
            )
        if "occurred_on" not in self.columns:
            raise MappingError(_("Map a column to occurred_on, the event's date."))
        if "incident_type" not in self.columns and "incident_type" not in self.constants:
            raise MappingError(_("Map a column, or a constant, to incident_type."))
        self.id_column = self.columns["external_id"]
        self.date_format = mapping.get("date_format")
        self.readers: dict[str, Callable[[str], Any]] = {}
        for name in self.columns:
            self.readers[name] = self._reader(name, values.get(name, {}))
        for name, value in self.constants.items():
            try:
                self.constants[name] = self._reader(name, values.get(name, {}))(str(value))
            except cells.CellError as error:
                raise MappingError(f"constants.{name}: {error}") from None

    @staticmethod
    def _names(value: Any, key: str, kind: type) -> dict[str, Any]:
        if not isinstance(value, dict) or not all(isinstance(v, kind) for v in value.values()):
            raise MappingError(_("“%(key)s” is an object of field names.") % {"key": key})
        unknown = sorted(set(value) - MAPPABLE)
        if unknown:
            raise MappingError(
                _("%(key)s: %(fields)s are not incident fields.")
                % {"key": key, "fields": ", ".join(unknown)}
            )
        return dict(value)

    def _reader(self, name: str, values: Mapping[str, str]) -> Callable[[str], Any]:
        if name in CHOICE_FIELDS:
            return _choice(CHOICE_FIELDS[name], values)
        if name in ("occurred_on", "ended_on"):
            return lambda v: cells.date(v, date_format=self.date_format)
        if name == "latitude":
            return lambda v: cells.coordinate(v, limit=90)
        if name == "longitude":
            return lambda v: cells.coordinate(v, limit=180)
        if name in TEXT_FIELDS:
            return lambda v: cells.text(v, max_length=TEXT_FIELDS[name])
        if name == "external_id":
            return lambda v: cells.text(v, max_length=100)
        return cells.count

    def columns_needed(self) -> set[str]:
        return {*super().columns_needed(), *(c.casefold() for c in self.columns.values())}

    def read(self, line: int, values: Mapping[str, str]) -> Draft:
        row = Cells(values)
        fields: dict[str, Any] = dict(self.constants)
        fields.update(self.dates(row, self.columns["occurred_on"], self.columns.get("ended_on")))
        for name, column in self.columns.items():
            if name in ("occurred_on", "ended_on"):
                continue
            value = row.read(column, self.readers[name])
            if value is not None and value != "":
                fields[name] = value
            elif name in CHOICE_FIELDS and name not in fields:
                if name == "incident_type":
                    row.fail(column, _("The type is missing."))
        fields.setdefault("perpetrator_category", PerpetratorCategory.UNKNOWN)
        external_id = str(fields.pop("external_id", "") or "")
        draft = self._draft(line, row, external_id, fields)
        draft.columns = dict(self.columns)
        return draft


PRESETS: dict[str, type[Base]] = {
    Preset.UCDP_GED: UcdpGed,
    Preset.ACLED: Acled,
    Preset.GENERIC: Generic,
}


def build_preset(name: str, mapping: Mapping[str, Any], mission: Mission) -> Base:
    """The preset `name` adjusted by `mapping`; MappingError if the mapping cannot be used."""
    if name not in PRESETS:
        raise MappingError(_("%(name)s is not a preset.") % {"name": name})
    if not isinstance(mapping, Mapping):
        raise MappingError(_("A mapping is a JSON object."))
    if name == Preset.GENERIC and not mapping:
        raise MappingError(_("The generic preset needs a mapping."))
    return PRESETS[name](mapping, mission)


def source_attribution(source: str) -> str:
    """The credit a source's records carry wherever they are shown."""
    return str(ATTRIBUTIONS.get(source, source))
