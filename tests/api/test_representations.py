"""Brief and full representations, nesting, filters and pages."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts.models import User
from api.pagination import CursorPagination, LimitOffsetPagination
from missions.models import Mission
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import CommunityAtRiskFactory, ResponseActionFactory, ThreatFactory
from threats.choices import ThreatStatus

pytestmark = pytest.mark.django_db


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_brief_representation(poc_adviser: User, mission_a: Mission) -> None:
    ThreatFactory(mission=mission_a)
    client = _client(poc_adviser)
    brief = client.get("/api/v1/threats/", {"brief": "true"}).json()["results"][0]
    full = client.get("/api/v1/threats/").json()["results"][0]
    assert set(brief) == {"id", "mission", "title", "risk_score", "risk_level", "status"}
    assert {"communities", "response_plan", "description"} <= set(full)


def test_threat_nests_its_communities_and_response_plan(
    poc_adviser: User, mission_a: Mission
) -> None:
    threat = ThreatFactory(mission=mission_a)
    community = CommunityAtRiskFactory(threat=threat)
    action = ResponseActionFactory(threat=threat)
    body = _client(poc_adviser).get(f"/api/v1/threats/{threat.pk}/").json()
    assert [c["id"] for c in body["communities"]] == [community.pk]
    assert [a["id"] for a in body["response_plan"]] == [action.pk]


def test_threat_filters(poc_adviser: User, mission_a: Mission) -> None:
    # given a high-risk open threat in one sector and a low-risk resolved one elsewhere
    here, there = LocalityFactory(mission=mission_a), LocalityFactory(mission=mission_a)
    high = ThreatFactory(mission=mission_a, likelihood=5, impact=4, areas=[here])
    ThreatFactory(
        mission=mission_a,
        likelihood=1,
        impact=1,
        areas=[there],
        status=ThreatStatus.RESOLVED,
        closed_on="2026-02-01",
    )
    client = _client(poc_adviser)

    def ids(**params: object) -> list[int]:
        return [row["id"] for row in client.get("/api/v1/threats/", params).json()["results"]]

    # then each filter keeps the one it names; an area takes in the areas below it
    assert ids(risk_level="very_high") == [high.pk]
    assert ids(status=["active", "emerging"]) == [high.pk]
    assert ids(area=here.sector_id) == [high.pk]
    assert ids(mission=mission_a.pk, area=here.pk) == [high.pk]


def test_filter_on_another_missions_area_is_a_400(poc_adviser: User, mission_b: Mission) -> None:
    response = _client(poc_adviser).get(
        "/api/v1/incidents/", {"area": LocalityFactory(mission=mission_b).pk}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "area"


def test_incidents_page_by_cursor_capped_at_1000(poc_adviser: User, mission_a: Mission) -> None:
    area = LocalityFactory(mission=mission_a)
    incidents = IncidentFactory.create_batch(3, mission=mission_a, area=area)
    client = _client(poc_adviser)
    first = client.get("/api/v1/incidents/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert seen == sorted((i.pk for i in incidents), reverse=True)
    assert second["next"] is None
    assert client.get("/api/v1/incidents/", {"cursor": "garbage"}).status_code == 404


@pytest.mark.parametrize(
    ("paginator", "param"), [(CursorPagination(), "page_size"), (LimitOffsetPagination(), "limit")]
)
def test_page_size_is_capped_at_1000(paginator: Any, param: str) -> None:
    # a client asking for more than 1,000 rows a page gets 1,000
    request = Request(APIRequestFactory().get("/", {param: 5000}))
    size = (
        paginator.get_page_size(request) if param == "page_size" else paginator.get_limit(request)
    )
    assert size == 1000
