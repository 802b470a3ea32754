"""One error shape, the services' refusals mapped onto it, and never a 500 on bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts.models import User
from missions.choices import MissionRole
from missions.models import Mission
from tests.factories.accounts import AdministratorFactory, UserFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory, MembershipFactory, MissionFactory
from tests.factories.threats import ThreatFactory

from .routes import ApiRoute, api_routes, make_record

pytestmark = pytest.mark.django_db

WRITE_ROUTES = [
    route
    for route in api_routes()
    if route.policy_scoped and set(route.mapping) - {"get", "head", "options"}
]
# What a careless or hostile client sends in place of a field's value.
BAD_VALUES: list[Any] = [
    None,
    "",
    "not a value",
    "x" * 5000,
    -1,
    0,
    1,  # of the right type, yet breaking a rule only the service checks (risk bands, dates)
    10**20,
    1.5,
    True,
    [1, 2],
    {"nested": "object"},
    "2026-02-30",
    "1900-01-01",
    "9999-12-31T23:59:59Z",
]
BAD_BODIES: list[Any] = ["[1, 2]", '"a string"', "{not json", "null", "1e999999"]


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_validation_error_has_one_shape_with_field_errors(
    poc_adviser: User, mission_a: Mission
) -> None:
    # when a write misses a required field and gives a bad choice
    response = _client(poc_adviser).post(
        "/api/v1/threats/", {"mission": mission_a.pk, "likelihood": 9}, format="json"
    )
    # then it is a 400 listing each field's error
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    errors = {error["attr"]: error["code"] for error in body["errors"]}
    assert errors["likelihood"] == "invalid_choice"
    assert errors["title"] == "required"


def test_service_validation_error_is_a_400_on_its_field(
    poc_adviser: User, mission_a: Mission
) -> None:
    # given an open threat; when it is closed before the day it was identified
    threat = ThreatFactory(mission=mission_a)
    response = _client(poc_adviser).post(
        f"/api/v1/threats/{threat.pk}/close/", {"closed_on": "2020-01-01"}, format="json"
    )
    # then the service's refusal comes back on its field
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "closed_on"


def test_service_permission_denied_is_a_403(mission_a: Mission) -> None:
    # given someone who leads mission A and logs in mission B
    user = UserFactory()
    MembershipFactory(user=user, mission=mission_a, role=MissionRole.LEADERSHIP)
    mission_b = MissionFactory()
    MembershipFactory(user=user, mission=mission_b, role=MissionRole.JOC_OFFICER)
    area = LocalityFactory(mission=mission_a)
    # when they log an incident in mission A, where they may only read
    response = _client(user).post(
        "/api/v1/incidents/",
        {
            "mission": mission_a.pk,
            "area": area.pk,
            "occurred_on": "2026-03-10",
            "incident_type": "abduction",
            "perpetrator_category": "unknown",
            "source_type": "un_patrol",
        },
        format="json",
    )
    # then the service refuses, as a 403 in the one shape
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_another_missions_link_is_invalid(poc_adviser: User, mission_a: Mission) -> None:
    # an area of a mission the user cannot see does not exist, for a link as for a read
    other_area = LocalityFactory(mission=MissionFactory())
    threat = ThreatFactory(mission=mission_a)
    response = _client(poc_adviser).patch(
        f"/api/v1/threats/{threat.pk}/", {"areas": [other_area.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "does_not_exist"


def _writable_fields(route: ApiRoute) -> list[str]:
    serializer: serializers.Serializer[Any] = route.viewset.serializer_class()
    return [name for name, field in serializer.fields.items() if not field.read_only]


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=str)
def test_write_never_answers_500_to_malformed_input(route: ApiRoute) -> None:
    # given an administrator, who may write everything, and a record to write on
    client = _client(AdministratorFactory())
    mission = MissionFactory()
    record = make_record(route.model, mission)
    url = route.url(record)
    failures = []
    # PUT is left out: a body of one field fails on the others before any value is read
    for method in set(route.mapping) - {"get", "head", "options", "put"}:
        bodies = [{name: value} for name in _writable_fields(route) for value in BAD_VALUES]
        for body in [*bodies, *BAD_BODIES]:
            # when a malformed body is sent
            with transaction.atomic():
                if isinstance(body, str):
                    response = getattr(client, method)(url, body, content_type="application/json")
                else:
                    response = getattr(client, method)(url, body, format="json")
                transaction.set_rollback(True)
            # then the answer is the client's error, never the server's
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {body!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url", ["/api/v1/no-such-list/", "/api/v2/", "/api/v1/threats/1/no-such-step/"]
)
def test_an_unknown_api_url_is_a_404_in_the_error_shape(joc_officer: User, url: str) -> None:
    response = _client(joc_officer).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_an_unknown_url_outside_the_api_is_the_html_page(joc_officer: User) -> None:
    response = _client(joc_officer).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("value", ["banana", "2", "truthy"])
def test_brief_takes_a_boolean_only(joc_officer: User, mission_a: Mission, value: str) -> None:
    make_record(IncidentFactory._meta.model, mission_a)
    response = _client(joc_officer).get("/api/v1/incidents/", {"brief": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "brief"
    for given in ("true", "False", "0", ""):
        assert _client(joc_officer).get("/api/v1/incidents/", {"brief": given}).status_code == 200
