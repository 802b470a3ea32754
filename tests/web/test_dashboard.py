"""The leadership dashboard: who may open it, its period picker and drill-down read the same
figures as the selectors, bad parameters are a 400 in words, and the page costs few queries."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from accounts.models import User
from commitments.choices import ImplementationStatus
from indicators.models import Indicator
from indicators.selectors import indicator_series, mission_figures
from missions.models import Area, Mission
from tests.factories.missions import LocalityFactory
from threats.filters import ThreatFilterSet
from threats.models import Threat

from .dashboard_data import MARCH, NOW, Places, seed

pytestmark = pytest.mark.django_db

MEMBERS = ["leadership", "poc_adviser", "jmac_analyst", "joc_officer", "section_staff"]


@pytest.fixture
def places(mission_a: Mission, time_machine: Any) -> Places:
    time_machine.move_to(NOW, tick=False)
    return seed(mission_a)


def _url(mission: Mission) -> str:
    return reverse("web:dashboard", kwargs={"mission": mission.acronym})


def _get(user: User, mission: Mission, **params: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(_url(mission), params)


def _selector_values(user: User, mission: Mission, period: str, start: datetime.date, area=None):
    return {
        f.indicator.code: f
        for f in mission_figures(
            user=user, mission=mission, period=period, period_start=start, area=area
        )
    }


@pytest.mark.parametrize("member", MEMBERS)
def test_every_member_of_the_mission_opens_the_dashboard(
    request: pytest.FixtureRequest, member: str, mission_a: Mission, places: Places
) -> None:
    user = request.getfixturevalue(member)
    response = _get(user, mission_a)
    assert response.status_code == 200
    assert response.context["board"].mission == mission_a


def test_a_user_of_another_mission_finds_no_dashboard(
    outsider: User, mission_a: Mission, places: Places
) -> None:
    assert _get(outsider, mission_a).status_code == 404


def test_signing_in_comes_first(client: Client, mission_a: Mission) -> None:
    response = client.get(_url(mission_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_default_is_the_running_month_with_the_selectors_figures(
    leadership: User, mission_a: Mission, places: Places
) -> None:
    response = _get(leadership, mission_a)
    board = response.context["board"]
    assert (board.selection.kind, board.selection.start) == ("month", MARCH)
    expected = _selector_values(leadership, mission_a, "month", MARCH)
    killed = board.harmed[0]
    assert killed.headline.figure.value == expected["POC-01"].value == Decimal(10)
    women, men, girls, boys, unknown = killed.groups
    split = expected["POC-01"].sex_age
    assert (women, men, girls, boys, unknown) == (
        split.women,
        split.men,
        split.girls,
        split.boys,
        split.unknown,
    )
    assert (women, boys) == (Decimal(6), Decimal(3))
    assert board.incidents.figure.value == expected["POC-05"].value == Decimal(4)
    assert board.host_state.figure.value == expected["POC-06"].value == Decimal(1)
    host = next(line for line in board.incidents.lines if line.emphasis)
    assert host.value == expected["POC-05"].breakdowns["perpetrator:host_state_forces"]
    assert board.incidents.figure.target == expected["POC-05"].target
    assert board.incidents.figure.status == expected["POC-05"].status
    assert board.alerts.figure.value == Decimal(3)
    assert board.activities.figure.value == expected["POC-13"].value == Decimal(2)
    tier_2 = next(
        line for line in board.activities.lines if line.label.startswith("Tier 2") or line.value
    )
    assert tier_2.value == expected["POC-13"].breakdowns["tier:2"]
    assert board.as_of == max(f.computed_at for f in expected.values() if f.computed_at)
    # each figure opens its records, filtered with the FilterSets' names
    html = response.content.decode()
    assert "occurred_on_after=2026-03-01&amp;occurred_on_before=2026-03-20" in html
    assert "perpetrator_category=host_state_forces" in html
    assert "is_host_state_perpetrator=true" in html
    assert "received_on_after=2026-03-01" in html
    assert "risk_level=very_high" in html
    assert "Figures as of" in html


@pytest.mark.parametrize(
    ("period", "on", "kind", "start"),
    [
        ("week", "2026-03-11", "week", datetime.date(2026, 3, 9)),
        ("month", "2026-02-14", "month", datetime.date(2026, 2, 1)),
        ("quarter", "2026-03-01", "quarter", datetime.date(2026, 1, 1)),
        ("year", "2026-07-01", "year", datetime.date(2026, 1, 1)),
        ("ytd", "2020-05-05", "year", datetime.date(2026, 1, 1)),  # always the running year
    ],
)
def test_the_period_picker_shows_the_selectors_figures_of_the_period(
    leadership: User,
    mission_a: Mission,
    places: Places,
    period: str,
    on: str,
    kind: str,
    start: datetime.date,
) -> None:
    board = _get(leadership, mission_a, period=period, on=on).context["board"]
    assert (board.selection.kind, board.selection.start) == (kind, start)
    expected = _selector_values(leadership, mission_a, kind, start)
    assert board.harmed[0].headline.figure.value == expected["POC-01"].value
    assert board.incidents.figure.value == expected["POC-05"].value
    assert board.alerts.figure.value == expected["POC-09"].value
    assert board.threats.figure.value == expected["POC-12"].value
    if period == "ytd":
        assert board.selection.is_year_to_date and board.is_partial
        assert board.incidents.figure.value == Decimal(5)  # February's and March's


def test_drilling_down_to_a_sector_and_a_locality(
    leadership: User, mission_a: Mission, places: Places
) -> None:
    response = _get(leadership, mission_a, area=places.sector.pk)
    board = response.context["board"]
    expected = _selector_values(leadership, mission_a, "month", MARCH, places.sector)
    assert board.incidents.figure.value == expected["POC-05"].value == Decimal(3)
    assert board.has_breakdowns
    assert [crumb.label for crumb in board.breadcrumb] == ["Whole mission", "North"]
    # the map shows the areas one level down, with their rollups' counts
    assert [(a.name, a.incidents) for a in board.areas] == [("Kaga", Decimal(3))]

    board = _get(leadership, mission_a, area=places.village.pk).context["board"]
    expected = _selector_values(leadership, mission_a, "month", MARCH, places.village)
    assert board.incidents.figure.value == expected["POC-05"].value == Decimal(2)
    assert not board.has_breakdowns
    assert [crumb.label for crumb in board.breadcrumb] == ["Whole mission", "North", "Kaga", "Bria"]
    assert [(a.name, a.incidents, a.alerts) for a in board.areas] == [
        ("Bria", Decimal(2), Decimal(3))
    ]


def test_the_map_counts_the_sectors_of_the_whole_mission(
    leadership: User, mission_a: Mission, places: Places
) -> None:
    response = _get(leadership, mission_a)
    board = response.context["board"]
    counts = {a.name: (a.incidents, a.alerts, a.threats) for a in board.areas}
    north = _selector_values(leadership, mission_a, "month", MARCH, places.sector)
    assert counts["North"] == (north["POC-05"].value, north["POC-09"].value, north["POC-12"].value)
    assert counts["South"] == (Decimal(1), Decimal(0), Decimal(0))
    data = json.loads(
        re.search(
            r'<script id="dashboard-map-data" type="application/json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
    )
    assert data["country"] == "140"  # the Central African Republic in the outlines
    assert {a["name"] for a in data["areas"]} == {"North", "South"}


def test_the_time_series_follows_the_indicator_chosen(
    leadership: User, mission_a: Mission, places: Places
) -> None:
    board = _get(leadership, mission_a, indicator="POC-05").context["board"]
    assert board.series_indicator.code == "POC-05"
    points = indicator_series(
        user=leadership,
        mission=mission_a,
        indicator=Indicator.objects.get(code="POC-05"),
        period="month",
        start=datetime.date(2025, 4, 1),
        end=MARCH,
    )
    assert len(board.series) == 12
    assert board.chart_data["values"] == [
        None if p.value is None else float(p.value) for p in points
    ]
    assert board.chart_data["values"][-1] == 4.0
    assert board.chart_data["targets"][-1] == float(points[-1].target)


def test_the_risk_matrix_cells_open_their_threats(
    leadership: User, mission_a: Mission, places: Places
) -> None:
    board = _get(leadership, mission_a).context["board"]
    cell = board.matrix_rows[0][4]  # likelihood 5, impact 5
    assert (cell.likelihood, cell.impact, cell.count) == (5, 5, 1)
    assert "likelihood=5" in cell.url and "impact=5" in cell.url
    assert board.matrix_rows[4][0].url == ""  # an empty cell opens nothing
    query = QueryDict(cell.url.split("?")[1])
    assert query.getlist("status") == ["emerging", "active", "contained"]
    threats = ThreatFilterSet(query, queryset=Threat.objects.all()).qs
    assert [(t.likelihood, t.impact) for t in threats] == [(5, 5)]


def test_the_four_key_elements_with_the_missions_status(
    leadership: User, mission_a: Mission, places: Places
) -> None:
    board = _get(leadership, mission_a).context["board"]
    assert [e.number for e in board.key_elements] == [1, 2, 3, 4]
    assert [e.status for e in board.key_elements] == [
        ImplementationStatus.ON_TRACK,
        ImplementationStatus.NOT_STARTED,
        ImplementationStatus.DELAYED,
        ImplementationStatus.NOT_STARTED,
    ]


def test_an_area_of_another_mission_is_not_found(
    leadership: User, mission_a: Mission, mission_b: Mission, places: Places
) -> None:
    elsewhere = LocalityFactory(mission=mission_b)
    assert _get(leadership, mission_a, area=elsewhere.pk).status_code == 404
    missing = Area.objects.order_by("pk").last().pk + 1
    assert _get(leadership, mission_a, area=missing).status_code == 404


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"period": "decade"}, "is not a period"),
        ({"on": "2026-13-01"}, "is not a date"),
        ({"on": "0001-01-01"}, "Figures exist from"),
        ({"area": "north"}, "is not an area"),
        ({"indicator": "POC-99"}, "is not an indicator"),
    ],
)
def test_a_parameter_that_makes_no_sense_is_a_bad_request_in_words(
    leadership: User, mission_a: Mission, places: Places, params: dict[str, str], words: str
) -> None:
    response = _get(leadership, mission_a, **params)
    assert response.status_code == 400
    assert words in response.content.decode()


@pytest.mark.parametrize("level", ["mission", "sector", "locality"])
def test_the_whole_page_costs_at_most_twenty_queries(
    leadership: User,
    mission_a: Mission,
    places: Places,
    level: str,
    django_assert_max_num_queries: Any,
) -> None:
    area = {"mission": None, "sector": places.sector, "locality": places.village}[level]
    client = Client()
    client.force_login(leadership)
    params = {"period": "quarter", "on": "2026-03-01"} | ({"area": area.pk} if area else {})
    with django_assert_max_num_queries(20):
        response = client.get(_url(mission_a), params)
    assert response.status_code == 200
