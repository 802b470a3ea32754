"""Optimistic concurrency: ETags, and 412 for a write on a stale copy."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from incidents.models import Incident
from missions.models import Mission
from tests.factories.incidents import IncidentFactory

pytestmark = pytest.mark.django_db


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_stale_write_is_refused_with_412(
    joc_officer: User, poc_adviser: User, mission_a: Mission
) -> None:
    # given two officers who read the same incident
    incident = IncidentFactory(mission=mission_a)
    url = f"/api/v1/incidents/{incident.pk}/"
    first, second = _client(joc_officer), _client(poc_adviser)
    tag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == tag
    # when the first saves a change
    saved = first.patch(url, {"people_displaced": 10}, format="json", HTTP_IF_MATCH=tag)
    assert saved.status_code == 200
    assert saved["ETag"] != tag
    # then the second, writing on the copy they read, is refused and changes nothing
    stale = second.patch(url, {"people_displaced": 99}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "precondition_failed"
    assert second.delete(url, HTTP_IF_MATCH=tag).status_code == 412
    assert Incident.objects.get(pk=incident.pk).people_displaced == 10
    # and once they read it again, their write goes through
    fresh = second.get(url)["ETag"]
    retried = second.patch(url, {"people_displaced": 99}, format="json", HTTP_IF_MATCH=fresh)
    assert retried.status_code == 200


def test_write_without_if_match_is_not_checked(joc_officer: User, mission_a: Mission) -> None:
    incident = IncidentFactory(mission=mission_a)
    response = _client(joc_officer).patch(
        f"/api/v1/incidents/{incident.pk}/", {"people_displaced": 3}, format="json"
    )
    assert response.status_code == 200


def test_if_match_on_another_missions_record_is_still_a_404(
    outsider: User, mission_a: Mission
) -> None:
    incident = IncidentFactory(mission=mission_a)
    response = _client(outsider).patch(
        f"/api/v1/incidents/{incident.pk}/", {}, format="json", HTTP_IF_MATCH='"x"'
    )
    assert response.status_code == 404
