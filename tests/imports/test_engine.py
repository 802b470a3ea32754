"""The import engine: re-imports, dry runs, bad rows, places, perpetrators and odd files."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import User
from audit.models import AuditEntry
from imports.choices import ImportStatus, Preset
from imports.models import IncidentImport
from incidents.choices import Precision, VerificationStatus
from incidents.models import Incident
from missions.models import Area, Mission
from tests.imports.conftest import run_import
from tests.imports.files import GED_COLUMNS, ged_rows, write_csv, write_xlsx
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db


def _ged(tmp_path: Path, rows: list[dict[str, str]], name: str = "ged.csv", **dialect) -> Path:
    return write_csv(tmp_path / name, GED_COLUMNS, rows, **dialect)


def _import(path: Path, by: User, mission: Mission, **options) -> IncidentImport:
    return run_import(path, by=by, mission=mission, preset=Preset.UCDP_GED, **options)


def test_reimport_updates_what_changed_and_leaves_the_rest_untouched(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(30)
    first = _import(_ged(tmp_path, rows), poc_adviser, mission)
    untouched = Incident.objects.get(external_id=rows[1]["id"])
    entries = AuditEntry.objects.count()

    rows[0]["deaths_civilians"] = "40"
    second = _import(_ged(tmp_path, rows, "newer.csv"), poc_adviser, mission)

    assert first.counts["created"] == 30
    assert second.counts | {"rows": 0} == {
        "rows": 0, "created": 0, "updated": 1, "unchanged": 29, "bad": 0, "missing": 0,
        "retired": 0, "unplaced": first.counts["unplaced"],
    }  # fmt: skip
    assert Incident.objects.filter(mission=mission).count() == 30
    changed = Incident.objects.get(external_id=rows[0]["id"])
    assert changed.killed_unknown == 40
    assert changed.import_run == second
    # the unchanged event was not written: same run, same timestamp, no audit entry
    assert Incident.objects.get(pk=untouched.pk).updated_at == untouched.updated_at
    assert Incident.objects.get(pk=untouched.pk).import_run == first
    new_entries = AuditEntry.objects.count() - entries
    assert new_entries == 2  # the changed incident and the import itself


def test_reimport_keeps_what_the_mission_decided(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(3)
    _import(_ged(tmp_path, rows), poc_adviser, mission)
    Incident.objects.filter(external_id=rows[0]["id"]).update(
        verification_status=VerificationStatus.VERIFIED
    )
    rows[0]["deaths_civilians"] = "9"

    _import(_ged(tmp_path, rows, "again.csv"), poc_adviser, mission)

    incident = Incident.objects.get(external_id=rows[0]["id"])
    assert (incident.killed_unknown, incident.verification_status) == (9, "verified")


def test_events_no_longer_in_the_file_are_listed_or_retired(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(5)
    _import(_ged(tmp_path, rows), poc_adviser, mission)

    listed = _import(_ged(tmp_path, rows[1:], "fewer.csv"), poc_adviser, mission)
    retired = _import(
        _ged(tmp_path, rows[1:], "fewer2.csv"), poc_adviser, mission, missing="retire"
    )

    assert listed.report["missing"] == [rows[0]["id"]]
    assert listed.counts["retired"] == 0
    assert retired.counts["retired"] == 1
    gone = Incident.objects.get(external_id=rows[0]["id"])
    assert gone.verification_status == VerificationStatus.DISCREDITED


def test_missing_events_the_user_may_not_see_are_neither_listed_nor_retired(
    tmp_path: Path, poc_adviser: User, joc_officer: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(4)
    _import(_ged(tmp_path, rows), poc_adviser, mission)
    Incident.objects.filter(external_id=rows[0]["id"]).update(is_restricted=True)

    run = _import(_ged(tmp_path, rows[2:], "fewer.csv"), joc_officer, mission, missing="retire")

    assert run.status == ImportStatus.IMPORTED, run.error
    assert run.report["missing"] == [rows[1]["id"]]
    assert (run.counts["missing"], run.counts["retired"]) == (1, 1)
    hidden = Incident.objects.get(external_id=rows[0]["id"])
    assert hidden.verification_status != VerificationStatus.DISCREDITED


def test_one_bad_row_refuses_the_file_and_every_bad_row_is_named(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(20)
    rows[3]["date_start"] = "2024-02-30"
    rows[7]["deaths_civilians"] = "-2"
    rows[9]["type_of_violence"] = "7"
    rows[12]["id"] = rows[11]["id"]

    run = _import(_ged(tmp_path, rows), poc_adviser, mission)

    assert run.status == ImportStatus.REFUSED
    assert not Incident.objects.exists()
    # lines count the header and the headlines' line breaks (two lines a row)
    found = {(e["line"], e["column"]) for e in run.report["errors"]}
    assert found == {
        (2 + 3 * 2, "date_start"),
        (2 + 7 * 2, "deaths_civilians"),
        (2 + 9 * 2, "type_of_violence"),
        (2 + 12 * 2, "id"),
    }
    reasons = " ".join(e["reason"] for e in run.report["errors"])
    assert "not a date" in reasons and "negative" in reasons and "repeats line" in reasons
    assert run.counts["bad"] == 4


def test_bad_rows_skipped_when_asked_and_listed(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(10)
    rows[2]["latitude"] = "95"

    run = _import(_ged(tmp_path, rows), poc_adviser, mission, skip_bad_rows=True)

    assert run.status == ImportStatus.IMPORTED
    assert run.counts["created"] == 9
    assert run.report["errors"][0]["column"] == "latitude"
    assert Incident.objects.count() == 9


def test_dry_run_reports_and_writes_nothing(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    run = _import(_ged(tmp_path, ged_rows(12)), poc_adviser, mission, dry_run=True)

    assert run.status == ImportStatus.CHECKED
    assert run.counts["created"] == 12
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="incident").exists()


def _event(**fields: str) -> dict[str, str]:
    row = ged_rows(1)[0]
    row.update(fields)
    return row


def test_places_by_names_without_case_accents_or_kind_words(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = [
        _event(id="1", adm_1="NORD-KIVU PROVINCE", adm_2="Béni Territoire",
               where_coordinates="Oïcha"),
        _event(id="2", adm_1="Province de l'Ituri", adm_2="", where_coordinates=""),
        _event(id="3", adm_1="", adm_2="", where_coordinates="", latitude="", longitude=""),
        _event(id="4", adm_1="Atlantis", adm_2="", where_coordinates="", latitude="", longitude=""),
    ]  # fmt: skip

    run = _import(_ged(tmp_path, rows), poc_adviser, mission)

    placed = dict(Incident.objects.values_list("external_id", "area__name"))
    assert placed == {"1": "Oicha", "2": "Ituri", "3": None, "4": None}
    assert run.counts["unplaced"] == 2
    assert "Atlantis" in " ".join(run.report["unmatched_places"])


def test_places_by_the_nearest_locality_within_the_distance(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    oicha = areas["Oicha"]
    nearby = oicha.latitude + Decimal("0.02")
    near = _event(id="1", adm_1="", adm_2="", where_coordinates="",
                  latitude=str(nearby), longitude=str(oicha.longitude))  # fmt: skip
    far = _event(id="2", adm_1="", adm_2="", where_coordinates="",
                 latitude=str(oicha.latitude + 2), longitude=str(oicha.longitude + 2))  # fmt: skip

    _import(_ged(tmp_path, [near, far]), poc_adviser, mission)

    placed = dict(Incident.objects.values_list("external_id", "area__name"))
    assert placed["1"] == "Oicha"  # about 2 km away
    assert placed["2"] != "Oicha"


def test_create_areas_sets_up_a_mission_from_its_data(
    tmp_path: Path, poc_adviser: User, administrator: User, mission: Mission
) -> None:
    rows = [
        _event(id="1", adm_1="Kasai Province", adm_2="Tshikapa",
               where_coordinates="Kamonia town"),
        _event(id="2", adm_1="Kasai", adm_2="Tshikapa territory",
               where_coordinates="Kamonia"),
    ]  # fmt: skip

    run = _import(_ged(tmp_path, rows), administrator, mission, create_areas=True)

    assert run.status == ImportStatus.IMPORTED
    assert [a["name"] for a in run.report["areas_created"]] == ["Kasai", "Tshikapa", "Kamonia"]
    assert set(Incident.objects.values_list("area__name", flat=True)) == {"Kamonia"}
    locality = Area.objects.get(name="Kamonia")
    assert (locality.aor.name, locality.sector.name) == ("Tshikapa", "Kasai")


def test_ged_perpetrators_host_state_only_for_the_host_government(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = [
        _event(id="1", type_of_violence="3", side_a="Government of Testland"),
        _event(id="2", type_of_violence="3", side_a="Government of Rwanda"),
        _event(id="3", type_of_violence="3", side_a="ADF"),
        _event(id="4", type_of_violence="1", side_a="Government of Testland", deaths_civilians="0"),
    ]

    _import(_ged(tmp_path, rows), poc_adviser, mission)

    found = {
        i.external_id: (i.perpetrator_category, i.incident_type, i.is_host_state_perpetrator)
        for i in Incident.objects.all()
    }
    assert found == {
        "1": (PerpetratorCategory.HOST_STATE_FORCES, ViolenceType.KILLING_MAIMING, True),
        "2": (PerpetratorCategory.FOREIGN_STATE_FORCES, ViolenceType.KILLING_MAIMING, False),
        "3": (PerpetratorCategory.NON_STATE_ARMED_GROUP, ViolenceType.KILLING_MAIMING, False),
        "4": (PerpetratorCategory.UNKNOWN, ViolenceType.OTHER, False),
    }


def test_ged_keeps_dates_precision_and_the_sources_own_figures(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    row = _event(id="9", date_start="1989-12-30 00:00:00.000",
                 date_end="1990-01-02 00:00:00.000", date_prec="2", where_prec="4",
                 best="7", high="9", low="5", deaths_a="1")  # fmt: skip

    _import(_ged(tmp_path, [row]), poc_adviser, mission)

    incident = Incident.objects.get()
    assert incident.occurred_on == datetime.date(1989, 12, 30)
    assert incident.ended_on == datetime.date(1990, 1, 2)
    assert (incident.date_precision, incident.location_precision) == (
        Precision.APPROXIMATE, Precision.REGION,
    )  # fmt: skip
    assert incident.source_figures | {"deaths_b": 0, "deaths_unknown": 0} == {
        "type_of_violence": int(row["type_of_violence"]), "best": 7, "high": 9, "low": 5,
        "deaths_a": 1, "deaths_b": 0, "deaths_unknown": 0, "date_prec": 2, "where_prec": 4,
    }  # fmt: skip
    assert (incident.external_source, incident.external_id) == ("UCDP GED", "9")


@pytest.mark.parametrize(
    "dialect",
    [
        {"delimiter": ";"},
        {"delimiter": "\t", "encoding": "utf-8-sig"},
        {"delimiter": ",", "encoding": "cp1252"},
        {"delimiter": "|", "encoding": "utf-16"},
    ],
    ids=["semicolon", "tab-bom", "cp1252", "utf16"],
)
def test_csv_dialects_and_encodings_read_alike(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area], dialect
) -> None:
    rows = ged_rows(8)
    rows[0]["source_headline"] = "Attaque à Béni; « civils » tués"

    run = _import(_ged(tmp_path, rows, **dialect), poc_adviser, mission)

    assert run.status == ImportStatus.IMPORTED, run.error or run.report["errors"]
    assert Incident.objects.count() == 8
    assert Incident.objects.get(external_id=rows[0]["id"]).description == rows[0]["source_headline"]


def test_formulas_are_stored_as_text(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(2)
    rows[0]["source_headline"] = '=HYPERLINK("http://example.org","click")'
    rows[1]["source_headline"] = "=cmd|' /C calc'!A0"

    _import(write_xlsx(tmp_path / "ged.xlsx", GED_COLUMNS, rows), poc_adviser, mission)

    stored = set(Incident.objects.values_list("description", flat=True))
    assert stored == {rows[0]["source_headline"], rows[1]["source_headline"]}


def _raw(tmp_path: Path, data: bytes, name: str = "ged.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _header() -> bytes:
    return ",".join(GED_COLUMNS).encode() + b"\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe\x00" * 50, "not"),
        (b"PK\x03\x04 broken", "XLSX"),
        (b"id,date_start\n1,2020-01-01\n", "lacks the columns"),
        (_header() + b'1,"unterminated', "cannot be read"),
    ],
    ids=["empty", "binary", "truncated-xlsx", "missing-columns", "truncated-quote"],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, poc_adviser: User, mission: Mission, data: bytes, reason: str
) -> None:
    run = _import(_raw(tmp_path, data), poc_adviser, mission)

    assert run.status == ImportStatus.REFUSED
    assert reason in run.error
    assert not Incident.objects.exists()


def test_rows_of_the_wrong_shape_and_huge_cells_are_bad_rows(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    path = _ged(tmp_path, ged_rows(3))
    lines = path.read_text().splitlines(keepends=True)
    good = "".join(lines)
    huge = ged_rows(1, seed=9)[0] | {"id": "huge", "source_headline": "x" * 1_100_000}
    with path.open("w", newline="") as handle:
        handle.write(good)
        csv.DictWriter(handle, fieldnames=GED_COLUMNS + ["extra"]).writerow(
            huge | {"extra": "surplus"}
        )
        handle.write("12345,3\n")  # truncated

    run = _import(path, poc_adviser, mission)

    assert run.status == ImportStatus.REFUSED
    reasons = [e["reason"] for e in run.report["errors"]]
    assert any("more than the columns" in r for r in reasons)
    assert any("ends early" in r for r in reasons)
    assert run.counts["bad"] == 2


def test_a_huge_cell_is_a_bad_row(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = ged_rows(2)
    rows[1]["source_headline"] = "x" * 1_100_000

    run = _import(_ged(tmp_path, rows), poc_adviser, mission)

    assert run.status == ImportStatus.REFUSED
    assert run.report["errors"][0]["column"] == "source_headline"
    assert "characters" in run.report["errors"][0]["reason"]
