"""Incremental sync: a mirror kept equal to the database with `updated_since` and `deleted`."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from incidents.models import Incident
from missions.models import Mission
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 4, 1, 8, tzinfo=datetime.UTC)


def _pages(client: APIClient, url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = client.get(url, params).json()
    while True:
        rows += page["results"]
        if not page["next"]:
            return rows
        page = client.get(page["next"]).json()


def _sync(client: APIClient, mirror: dict[int, dict[str, Any]], since: str) -> tuple[str, int]:
    """Bring `mirror` up to date; return the instant to sync from next time, and how many
    records came."""
    started = timezone.now().isoformat()
    # two a page: pages end between records changed at the same instant
    changed = _pages(client, "/api/v1/incidents/", {"page_size": 2, "updated_since": since})
    for row in changed:
        mirror[row["id"]] = row
    gone = {"model": "incidents.incident", "since": since, "page_size": 2}
    for row in _pages(client, "/api/v1/deleted/", gone):
        mirror.pop(row["record_id"], None)
    return started, len(changed)


def _database(client: APIClient) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in _pages(client, "/api/v1/incidents/", {"page_size": 1000})}


def test_mirror_stays_equal_to_the_database(poc_adviser: User, mission_a: Mission) -> None:
    # given a mission's incidents, several changed at the very same instant
    client = APIClient()
    client.force_authenticate(poc_adviser)
    area = LocalityFactory(mission=mission_a)
    with time_machine.travel(START, tick=False):
        incidents = IncidentFactory.create_batch(5, mission=mission_a, area=area)
    mirror: dict[int, dict[str, Any]] = {}
    with time_machine.travel(START + datetime.timedelta(hours=1)):
        since, fetched = _sync(client, mirror, (START - datetime.timedelta(days=1)).isoformat())
    assert mirror == _database(client) and fetched == 5
    # when some change, one is deleted and one is added, through the API
    with time_machine.travel(START + datetime.timedelta(hours=2)):
        changed = client.patch(
            f"/api/v1/incidents/{incidents[0].pk}/", {"people_displaced": 40}, format="json"
        )
        assert changed.status_code == 200
        assert client.delete(f"/api/v1/incidents/{incidents[1].pk}/").status_code == 204
        IncidentFactory(mission=mission_a, area=area)
    # then a sync from the last one's start makes the mirror equal to the database again
    with time_machine.travel(START + datetime.timedelta(hours=3)):
        _since, fetched = _sync(client, mirror, since)
    assert mirror == _database(client)
    assert fetched == 2  # the changed one and the new one: nothing else travels
    assert mirror[incidents[0].pk]["people_displaced"] == 40
    assert incidents[1].pk not in mirror
    assert len(mirror) == Incident.objects.count() == 5


def test_updated_since_must_be_an_instant(poc_adviser: User) -> None:
    client = APIClient()
    client.force_authenticate(poc_adviser)
    response = client.get("/api/v1/incidents/", {"updated_since": "last week"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "updated_since"
