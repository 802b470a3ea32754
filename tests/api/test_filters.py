"""The lists' filter backend (`api.filters`): no filter set is built when no filter is asked
for, and the filters answer as before when one is."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from rest_framework.test import APIClient

from missions.models import Mission
from tests.factories.accounts import AdministratorFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import MissionFactory

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[type[Any]]:
    """The filter sets built, by class."""
    classes: list[type[Any]] = []
    init = django_filters.FilterSet.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        classes.append(type(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(django_filters.FilterSet, "__init__", counting)
    return classes


@pytest.fixture
def client() -> APIClient:
    client = APIClient()
    client.force_authenticate(AdministratorFactory())
    return client


def test_a_page_without_filters_builds_no_filter_set(
    client: APIClient, built: list[type[Any]], mission_a: Mission
) -> None:
    IncidentFactory(mission=mission_a)
    response = client.get(INCIDENTS, {"page_size": 10, "brief": "true", "unknown": "1"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    assert built == []


def test_a_filter_given_filters(
    client: APIClient, built: list[type[Any]], mission_a: Mission
) -> None:
    kept = IncidentFactory(mission=mission_a, occurred_on="2025-03-01")
    IncidentFactory(mission=mission_a, occurred_on="2024-03-01")
    IncidentFactory(mission=MissionFactory(), occurred_on="2025-03-01")
    # a range filter's parameter carries a suffix
    response = client.get(INCIDENTS, {"mission": mission_a.pk, "occurred_on_after": "2025-01-01"})
    assert [row["id"] for row in response.json()["results"]] == [kept.pk]
    assert len(built) == 1


def test_a_bad_filter_value_is_still_a_400(client: APIClient) -> None:
    response = client.get(INCIDENTS, {"occurred_on_after": "not a date"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "occurred_on"
