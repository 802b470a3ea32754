"""`/secretariat/`: the missions a user may read side by side for a period, from the POC report's
selectors, with its downloads."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from indicators.rollups import rollup_rebuild
from missions.models import Mission
from reports.periods import parse_period
from reports.selectors import poc_report
from tests.factories.accounts import UserFactory
from tests.factories.missions import LocalityFactory
from tests.reports.conftest import log_incidents
from web.views.secretariat import side_by_side


@pytest.fixture
def figures(mission_a: Mission, mission_b: Mission) -> None:
    for seed, mission in enumerate((mission_a, mission_b)):
        log_incidents(mission, LocalityFactory(mission=mission), seed=seed)
    rollup_rebuild()


def test_secretariat_sees_every_mission_side_by_side(
    client: Client, figures: None, secretariat: User, django_assert_max_num_queries
) -> None:
    client.force_login(secretariat)

    # session, user, the missions, the report's stamps and restricted clearance, its rollups
    # and as-of days, the import sources; the mission switcher
    with django_assert_max_num_queries(10):
        response = client.get("/secretariat/", {"period": "2026-03"})

    assert response.status_code == 200
    report = response.context["report"]
    assert [m.acronym for m in report.missions] == ["MISSA", "MISSB"]
    rows = {row.code: row for row in response.context["rows"]}
    killed = rows["POC-01"].cells
    assert all(cell is not None for cell in killed)
    page = response.content.decode()
    assert "MISSA" in page and "MISSB" in page
    assert "Civilians killed" in page


def test_side_by_side_shows_the_reports_headline_figures_only(
    figures: None, secretariat: User, mission_a: Mission, mission_b: Mission
) -> None:
    report = poc_report(
        user=secretariat, period=parse_period("2026-03"), missions=[mission_a, mission_b]
    )

    rows = side_by_side(report)

    headline = [f for f in report.figures if not f.breakdown and f.disaggregation == "total"]
    assert sum(cell is not None for row in rows for cell in row.cells) == len(headline)
    by_code = {row.code: row for row in rows}
    assert by_code["POC-01"].cells[0].figure.value == next(  # type: ignore[union-attr]
        f.value for f in headline if f.indicator.code == "POC-01" and f.mission == mission_a
    )


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx", "pdf"])
def test_secretariat_links_to_each_download_of_the_report(
    client: Client, figures: None, secretariat: User, fmt: str
) -> None:
    client.force_login(secretariat)
    downloads = dict(client.get("/secretariat/", {"period": "2026-03"}).context["downloads"])

    url = downloads[fmt.upper()]
    response = client.get(url)

    assert url == f"/api/v1/reports/poc/?period=2026-03&format={fmt}"
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] or fmt == "pdf"


def test_a_mission_member_sees_their_own_missions_only(
    client: Client, figures: None, outsider: User
) -> None:
    client.force_login(outsider)

    response = client.get("/secretariat/", {"period": "2026-03"})

    assert [m.acronym for m in response.context["report"].missions] == ["MISSB"]
    assert "MISSA" not in response.content.decode()


def test_a_user_who_may_read_no_mission_is_refused(client: Client, db: None) -> None:
    client.force_login(UserFactory())

    assert client.get("/secretariat/").status_code == 403


def test_a_bad_period_is_a_form_error(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)

    response = client.get("/secretariat/", {"period": "2026-13"})

    assert response.status_code == 200
    assert "period" in response.context["form"].errors
    assert "report" not in response.context


def test_the_default_period_is_last_month(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)
    with time_machine.travel("2026-04-20 10:00Z", tick=False):
        response = client.get("/secretariat/")

    assert response.context["report"].period.label == "2026-03"


def test_anonymous_visitors_are_asked_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/secretariat/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
