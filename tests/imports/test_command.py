"""`manage.py import_incidents`: the same engine from a terminal, with a summary at the end."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from incidents.models import Incident
from missions.models import Area, Mission
from tests.imports.files import ACLED_COLUMNS, acled_rows, write_csv

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = StringIO()
    call_command("import_incidents", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_imports_an_acled_file_and_sums_up(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, acled_rows(50))

    summary = _call(
        str(path),
        "--mission",
        mission.acronym.lower(),
        "--preset",
        "acled",
        "--user",
        poc_adviser.username,
        "--verification",
        "verified",
    )

    assert "Imported" in summary
    assert "created          50" in summary
    assert Incident.objects.filter(mission=mission, verification_status="verified").count() == 50


def test_command_dry_run_writes_nothing(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, acled_rows(5))

    summary = _call(
        str(path),
        "--mission",
        mission.acronym,
        "--preset",
        "acled",
        "--dry-run",
        "--user",
        poc_adviser.username,
    )

    assert "Checked" in summary and "created           5" in summary
    assert not Incident.objects.exists()


def test_command_with_a_generic_mapping(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = [
        {"Ref": "A-1", "Date": "03/02/2021", "Type": "Attack", "Dead": "4", "Province": "Ituri"},
        {"Ref": "A-2", "Date": "28/02/2021", "Type": "Kidnapping", "Dead": "", "Province": ""},
    ]
    path = write_csv(tmp_path / "register.csv", list(rows[0]), rows)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "source": "Mission register",
                "date_format": "%d/%m/%Y",
                "columns": {
                    "external_id": "Ref", "occurred_on": "Date", "incident_type": "Type",
                    "killed_unknown": "Dead",
                },
                "places": {"sector": "Province"},
                "values": {
                    "incident_type": {"Attack": "killing_maiming", "Kidnapping": "abduction"}
                },
                "constants": {"perpetrator_category": "unknown"},
            }
        )
    )  # fmt: skip

    _call(
        str(path),
        "--mission",
        mission.acronym,
        "--mapping",
        str(mapping),
        "--user",
        poc_adviser.username,
        "--source-type",
        "un_patrol",
    )

    imported = {i.external_id: i for i in Incident.objects.all()}
    assert imported["A-1"].killed_unknown == 4
    assert imported["A-1"].area == areas["Ituri"]
    assert imported["A-2"].incident_type == "abduction"
    assert imported["A-2"].area is None
    assert imported["A-2"].external_source == "Mission register"


def test_command_refusal_is_an_error_with_the_reasons(
    tmp_path: Path, poc_adviser: User, mission: Mission, areas: dict[str, Area]
) -> None:
    rows = acled_rows(3)
    rows[1]["fatalities"] = "many"
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, rows)

    with pytest.raises(CommandError, match="Nothing was imported"):
        _call(str(path), "--mission", mission.acronym, "--preset", "acled",
              "--user", poc_adviser.username)  # fmt: skip
    assert not Incident.objects.exists()


def test_command_refuses_an_unknown_mission(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, acled_rows(1))

    with pytest.raises(CommandError, match="No mission"):
        _call(str(path), "--mission", "NOPE")
