"""GET /api/v1/reports/poc/: every mission side by side, scoped, protected, in every format."""

import csv
import io
import re
import zlib
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import hxl
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from indicators.rollups import rollup_rebuild
from missions.models import Mission
from reports.selectors import GROUPS, SECTION_OF
from reports.tables import COLUMNS, NUMBERS
from tests.factories.missions import LocalityFactory
from tests.reports.conftest import log_incidents

pytestmark = pytest.mark.django_db

URL = reverse("api:report-poc")


def _get(user: User | None, **params):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(URL, params)


def _figures(body: dict) -> dict[tuple, dict]:
    return {
        (f["mission"], f["indicator_code"], f["disaggregation"], f["breakdown"]): f
        for f in body["figures"]
    }


def test_the_secretariat_reads_every_mission_and_staff_their_own(
    figures: None, secretariat: User, joc_officer: User, mission_a: Mission, mission_b: Mission
) -> None:
    everything = _get(secretariat, period="2026-03").json()
    own = _get(joc_officer, period="2026-03").json()

    assert [m["acronym"] for m in everything["missions"]] == ["MISSA", "MISSB"]
    assert [m["acronym"] for m in own["missions"]] == ["MISSA"]
    assert {f["mission"] for f in own["figures"]} == {"MISSA"}
    assert _get(joc_officer, period="2026-03", mission=mission_b.pk).status_code == 400
    assert _get(None, period="2026-03").status_code == 401


def test_figures_are_the_rollups_with_their_previous_period(
    figures: None, poc_adviser: User, mission_a: Mission
) -> None:
    from indicators.models import Rollup

    body = _get(poc_adviser, period="2026-03").json()

    killed = _figures(body)[("MISSA", "POC-01", "total", "")]
    row = Rollup.objects.get(
        mission=mission_a, area=None, period="month", period_start="2026-03-01",
        indicator__code="POC-01", disaggregation="total", breakdown="",
    )  # fmt: skip
    assert (killed["value"], killed["previous_value"], killed["change"]) == (
        int(row.value), int(row.previous_value), int(row.change),
    )  # fmt: skip
    assert killed["section"] == "civilians_harmed"
    assert killed["suppressed"] == []
    # one mission of a cleared reader: nothing leaves it, nothing is hidden
    assert not any(f["suppressed"] for f in body["figures"])
    assert any(f["breakdown"].startswith("perpetrator:") for f in body["figures"])


def test_restricted_breakdowns_only_for_those_cleared(
    figures: None, poc_adviser: User, joc_officer: User
) -> None:
    def sv_details(user: User) -> set[tuple]:
        rows = _get(user, period="2026-03").json()["figures"]
        return {
            (f["disaggregation"], f["breakdown"])
            for f in rows
            if SECTION_OF.get(_derivation(f["indicator_code"])) is not None
            and _derivation(f["indicator_code"]) in {"sv_survivors", "grave_violations"}
            and (f["disaggregation"] != "total" or f["breakdown"])
        }

    assert sv_details(poc_adviser)
    assert sv_details(joc_officer) == set()


def _derivation(code: str) -> str:
    from indicators.models import Indicator

    return Indicator.objects.get(code=code).derivation


def _equations(rows: list[dict]) -> list[tuple[dict, list[dict]]]:
    """What a reader can add up: per mission and indicator, the total is the sum of its
    sex-age groups, and of each breakdown's values. Only equations the true figures hold."""
    by_indicator = defaultdict(list)
    for row in rows:
        by_indicator[(row["mission"], row["indicator_code"])].append(row)
    found = []
    for group in by_indicator.values():
        total = next(
            (r for r in group if r["disaggregation"] == "total" and not r["breakdown"]), None
        )
        if total is None:
            continue
        found.append(
            (total, [r for r in group if not r["breakdown"] and r["disaggregation"] in GROUPS])
        )
        prefixes = {r["breakdown"].split(":")[0] for r in group if r["breakdown"]}
        for prefix in prefixes:
            found.append((total, [r for r in group if r["breakdown"].startswith(prefix + ":")]))
    return [(t, parts) for t, parts in found if parts]


def _determined(equations: list[list[tuple[int, Fraction]]], unknowns: int) -> set[int]:
    """The unknowns fixed by a system of linear equations (Gaussian elimination, exact): an
    unknown is determined when its unit vector lies in the row space."""
    rows = [dict(eq) for eq in equations]
    pivots: list[tuple[int, dict]] = []
    for row in rows:
        for col, prow in pivots:
            if row.get(col):
                factor = row[col] / prow[col]
                for k, v in prow.items():
                    row[k] = row.get(k, 0) - factor * v
        row = {k: v for k, v in row.items() if v != 0}
        if row:
            pivots.append((min(row), row))
    determined = set()
    for unknown in range(unknowns):
        target = {unknown: Fraction(1)}
        for col, prow in sorted(pivots, key=lambda p: p[0]):
            if target.get(col):
                factor = target[col] / prow[col]
                for k, v in prow.items():
                    target[k] = target.get(k, 0) - factor * v
                target = {k: v for k, v in target.items() if v != 0}
        if not target:
            determined.add(unknown)
    return determined


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_no_hidden_cell_can_be_recovered_from_the_rest_of_the_report(
    seed: int, administrator: User, poc_adviser: User, mission_a: Mission, mission_b: Mission
) -> None:
    # an administrator sees the restricted breakdowns, and a report of two missions leaves
    # them both: every equation of the report is there to try
    for offset, mission in enumerate((mission_a, mission_b)):
        log_incidents(mission, LocalityFactory(mission=mission), seed=10 * seed + offset, count=20)
    rollup_rebuild()
    truth = _figures(_get(poc_adviser, period="2026-03").json())  # all of mission A, unhidden

    body = _get(administrator, period="2026-03").json()  # both missions: it leaves them

    rows = body["figures"]
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden, "the generated figures hold small counts to hide"
    assert any(r["disaggregation"] != "total" for r in hidden), "and hidden groups"
    for row in rows:
        if "value" in row["suppressed"]:
            assert row["value"] is None and row["change"] is None
        key = (row["mission"], row["indicator_code"], row["disaggregation"], row["breakdown"])
        if row["mission"] == "MISSA" and not row["suppressed"]:
            assert row["value"] == truth[key]["value"]
    for column in ("value", "previous_value"):
        cells = {id(r): i for i, r in enumerate(r for r in rows if column in r["suppressed"])}
        system = []
        for total, parts in _equations(rows):
            terms: dict[int, Fraction] = defaultdict(Fraction)
            constant = Fraction(0)
            for sign, row in [(1, total)] + [(-1, p) for p in parts]:
                if id(row) in cells:
                    terms[cells[id(row)]] += sign
                else:
                    constant += sign * Fraction(row[column] or 0)
            if terms:
                system.append(list(terms.items()))
        assert _determined(system, len(cells)) == set(), column


def test_small_counts_hidden_for_a_reader_who_may_not_see_restricted_records(
    figures: None, joc_officer: User
) -> None:
    body = _get(joc_officer, period="2026-03").json()

    assert body["missions"][0]["small_counts_hidden"] is True
    sv = [f for f in body["figures"] if _derivation(f["indicator_code"]) == "sv_survivors"]
    assert all(f["value"] is None or f["value"] == 0 or f["value"] >= 5 for f in sv)


def test_csv_xlsx_and_hxl_hold_the_same_figures_as_the_json(
    figures: None, secretariat: User, tmp_path: Path
) -> None:
    expected = [
        [_text(key, row[key]) for key, _header, _tag in COLUMNS]
        for row in _get(secretariat, period="2026-03").json()["figures"]
    ]

    csv_response = _get(secretariat, period="2026-03", format="csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    from_csv = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[1:]
    assert from_csv == expected

    hxl_response = _get(secretariat, period="2026-03", format="hxl")
    path = tmp_path / "report.csv"
    path.write_bytes(hxl_response.content)
    dataset = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    assert [column.display_tag for column in dataset.columns] == [tag for *_k, tag in COLUMNS]
    assert [[_text("", v) for v in row.values] for row in dataset] == expected

    xlsx_response = _get(secretariat, period="2026-03", format="xlsx")
    book = load_workbook(io.BytesIO(xlsx_response.content))
    from_xlsx = []
    for sheet in book.worksheets:
        if sheet.title == "Notes":
            continue
        assert sheet.freeze_panes == "A2"
        for values in sheet.iter_rows(min_row=2, values_only=True):
            from_xlsx.append(
                [_text(key, v) for (key, _h, _t), v in zip(COLUMNS, values, strict=True)]
            )
    assert sorted(from_xlsx) == sorted(expected)
    notes = [row for row in book["Notes"].iter_rows(values_only=True)]
    assert any(row[0] == "POC-01" for row in notes if row)


def _text(key: str, value: object) -> str:
    """A cell as text, the same in every format: numbers without a trailing .0, dates ISO."""
    import datetime

    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if key in NUMBERS and text.endswith(".0"):
        return text[:-2]
    return text


def test_an_unchanged_report_is_a_304_without_reading_rollups(
    figures: None, secretariat: User, django_assert_max_num_queries, mission_a: Mission
) -> None:
    first = _get(secretariat, period="2026-03")
    client = APIClient()
    client.force_authenticate(secretariat)

    with django_assert_max_num_queries(3):  # the missions, their stamps (and the user)
        again = client.get(URL, {"period": "2026-03"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert (
        client.get(
            URL, {"period": "2026-03"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        ).status_code
        == 304
    )
    # new figures: a new version
    log_incidents(mission_a, LocalityFactory(mission=mission_a), seed=99, count=2)
    rollup_rebuild()
    assert (
        client.get(URL, {"period": "2026-03"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    )


def test_a_bad_period_is_a_400_in_json_whatever_the_format(secretariat: User) -> None:
    response = _get(secretariat, period="2026-13", format="csv")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "Give a year" in response.content.decode()


def test_the_pdf_brief_renders_each_mission_with_the_shipped_fonts(
    figures: None, secretariat: User
) -> None:
    response = _get(secretariat, period="2026-03", format="pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF")
    objects = _pdf_objects(response.content)
    # the font of reports/fonts, embedded under the brief's own family name: no system font
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+Brief", objects)
    assert len(re.findall(rb"/Type\s*/Page[^s]", objects)) >= 2  # a page a mission at least


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(inflated)
