"""Every list of the API costs the same number of queries for 1 item and for 100.

Generated from the router's list routes, so a new endpoint is covered by itself. Each list
is a handful of queries whatever its length: the page (with its scoping as subqueries), one
query per prefetched relation, a COUNT for offset pages, and the caller's session.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories.accounts import AdministratorFactory
from tests.factories.missions import MissionFactory

from .routes import ApiRoute, api_routes, make_record

pytestmark = pytest.mark.django_db

# the caller's own tokens are few by nature, and counted in tests/api/test_tokens.py
LIST_ROUTES = [r for r in api_routes() if r.name.endswith("-list") and r.policy_scoped]


def _records(route: ApiRoute, n: int) -> None:
    mission = MissionFactory()
    for _ in range(n):
        # a mission list grows by missions, every other list by records of one mission
        is_mission = route.model._meta.label_lower == "missions.mission"
        make_record(route.model, MissionFactory() if is_mission else mission)


def _list_queries(client: APIClient, route: ApiRoute) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(route.url(), {"limit": 1000, "page_size": 1000})
    assert response.status_code == 200, response.content
    return len(response.json()["results"]), len(captured), [q["sql"] for q in captured]


@pytest.mark.parametrize("route", LIST_ROUTES, ids=str)
def test_list_query_count_does_not_grow_with_the_page(route: ApiRoute) -> None:
    # given an administrator, who sees every record, and one record
    client = APIClient()
    client.force_authenticate(AdministratorFactory())
    _records(route, 1)
    few, one_count, _ = _list_queries(client, route)
    # when 99 more are added
    _records(route, 99)
    many, hundred_count, queries = _list_queries(client, route)
    # then the page is longer, and the number of queries the same
    assert many >= few + 99
    assert hundred_count == one_count, "\n".join(queries)
