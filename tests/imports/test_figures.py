"""After an import, civilians killed by year, month and sector equal the file's own sums."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import User
from imports.choices import ImportStatus, Preset
from incidents.models import Incident
from indicators.choices import Derivation
from indicators.models import Rollup
from missions.models import Area, Mission
from tests.imports.conftest import run_import
from tests.imports.files import (
    ACLED_COLUMNS,
    GED_COLUMNS,
    acled_killed,
    acled_rows,
    ged_killed,
    ged_rows,
    read_back,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

EVENTS = 2500


def _rollups(mission: Mission, period: str, area: Area | None = None) -> dict[object, Decimal]:
    rows = Rollup.objects.filter(
        indicator__derivation=Derivation.CIVILIANS_KILLED,
        mission=mission,
        area=area,
        period=period,
        disaggregation="total",
        breakdown="",
    )
    return {row.period_start: row.value or Decimal(0) for row in rows}


def _assert_figures(mission: Mission, areas: dict[str, Area], expected: dict[str, Counter]) -> None:
    yearly = _rollups(mission, "year")
    assert {start.year: value for start, value in yearly.items() if value} == {
        year: killed for year, killed in expected["year"].items() if killed
    }
    monthly = _rollups(mission, "month")
    assert {start: value for start, value in monthly.items() if value} == {
        month: killed for month, killed in expected["month"].items() if killed
    }
    for name in ("Nord Kivu", "Ituri", "Sud Kivu"):
        by_sector = _rollups(mission, "year", areas[name])
        assert {start.year: value for start, value in by_sector.items() if value} == {
            year: killed
            for (sector, year), killed in expected["sector"].items()
            if sector == name and killed
        }, name


def test_ged_file_figures_equal_the_files_sums(
    tmp_path: Path,
    poc_adviser: User,
    mission: Mission,
    areas: dict[str, Area],
    django_capture_on_commit_callbacks,
) -> None:
    path = write_csv(tmp_path / "ged.csv", GED_COLUMNS, ged_rows(EVENTS))
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(
            path,
            by=poc_adviser,
            mission=mission,
            preset=Preset.UCDP_GED,
            verification_status="verified",
        )

    assert run.status == ImportStatus.IMPORTED, run.report["errors"][:5]
    assert run.counts["created"] == EVENTS
    assert Incident.objects.filter(mission=mission).count() == EVENTS
    _assert_figures(mission, areas, ged_killed(read_back(path.read_bytes())))


def test_acled_workbook_figures_equal_the_files_sums(
    tmp_path: Path,
    poc_adviser: User,
    mission: Mission,
    areas: dict[str, Area],
    django_capture_on_commit_callbacks,
) -> None:
    rows = acled_rows(EVENTS)
    path = write_xlsx(tmp_path / "acled.xlsx", ACLED_COLUMNS, rows)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(
            path,
            by=poc_adviser,
            mission=mission,
            preset=Preset.ACLED,
            verification_status="verified",
        )

    assert run.status == ImportStatus.IMPORTED, run.report["errors"][:5]
    assert run.counts["created"] == EVENTS
    _assert_figures(mission, areas, acled_killed(rows))
