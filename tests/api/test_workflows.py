"""The workflow steps through the API: observations, alerts, threats, and writes with values."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from alerts.models import Alert
from audit.models import AuditEntry
from indicators.choices import ObservationState
from indicators.models import Observation
from missions.models import Mission
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import TierFactory
from tests.factories.indicators import IndicatorFactory
from tests.factories.threats import ThreatFactory
from threats.choices import ThreatStatus

pytestmark = pytest.mark.django_db


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_observation_goes_through_its_workflow(
    joc_officer: User, poc_adviser: User, mission_a: Mission
) -> None:
    # given a JOC officer who logs a monthly figure with its value
    indicator = IndicatorFactory()
    joc, poc = _client(joc_officer), _client(poc_adviser)
    created = joc.post(
        "/api/v1/observations/",
        {
            "indicator": indicator.pk,
            "mission": mission_a.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "values": [{"disaggregation": "total", "value": "7"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == ObservationState.DRAFT
    assert body["values"][0]["value"] == "7.0000"
    assert body["logged_by"] == joc_officer.pk
    url = f"/api/v1/observations/{body['id']}/"
    # when it is submitted, the officer may not validate it, the adviser may
    assert joc.post(f"{url}submit/").json()["state"] == ObservationState.SUBMITTED
    assert joc.post(f"{url}validate/").status_code == 403
    assert poc.post(f"{url}validate/").json()["state"] == ObservationState.VALIDATED
    # then a validated figure is locked, and reopening it needs a reason
    assert joc.patch(url, {"note": "late"}, format="json").status_code == 400
    assert poc.post(f"{url}reopen/", {}, format="json").status_code == 400
    reopened = poc.post(f"{url}reopen/", {"reason": "Wrong month"}, format="json")
    assert reopened.json()["state"] == ObservationState.RETURNED
    # and its author corrects the figures
    corrected = joc.patch(
        url, {"values": [{"disaggregation": "total", "value": "9"}]}, format="json"
    )
    assert corrected.json()["values"][0]["value"] == "9.0000"
    observation = Observation.objects.get(pk=body["id"])
    assert list(observation.values.values_list("value", flat=True)) == [9]


def test_observation_refuses_a_group_twice(joc_officer: User, mission_a: Mission) -> None:
    response = _client(joc_officer).post(
        "/api/v1/observations/",
        {
            "indicator": IndicatorFactory().pk,
            "mission": mission_a.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "values": [
                {"disaggregation": "total", "value": "1"},
                {"disaggregation": "total", "value": "2"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "values"
    assert not Observation.objects.exists()


def test_observation_figure_without_its_group_is_the_total(
    joc_officer: User, mission_a: Mission
) -> None:
    # a request generated from the schema found this answered with a 500
    response = _client(joc_officer).post(
        "/api/v1/observations/",
        {
            "indicator": IndicatorFactory().pk,
            "mission": mission_a.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "values": [{"value": "5"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["values"][0]["disaggregation"] == "total"


def test_alert_acknowledgement_stands_once(joc_officer: User, mission_a: Mission) -> None:
    # given an alert acknowledged once
    alert = AlertFactory(mission=mission_a)
    client = _client(joc_officer)
    first = client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", {}, format="json").json()
    # when the request is retried, then the first acknowledgement stands, audited once
    again = client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", {}, format="json").json()
    assert again["acknowledged_at"] == first["acknowledged_at"]
    assert AuditEntry.objects.filter(object_id=alert.pk, action="acknowledge").count() == 1


def test_alert_response_is_recorded(joc_officer: User, mission_a: Mission) -> None:
    alert = AlertFactory(mission=mission_a)
    tier = TierFactory()
    arrived = (alert.received_at + datetime.timedelta(hours=3)).isoformat()
    response = _client(joc_officer).post(
        f"/api/v1/alerts/{alert.pk}/respond/",
        {"tier": tier.pk, "decided": "Patrol sent", "arrived_at": arrived},
        format="json",
    )
    assert response.status_code == 200, response.content
    alert = Alert.objects.get(pk=alert.pk)
    assert alert.response_decided == "Patrol sent" and alert.response_tier == tier


def test_threat_is_closed(poc_adviser: User, mission_a: Mission) -> None:
    threat = ThreatFactory(mission=mission_a)
    response = _client(poc_adviser).post(
        f"/api/v1/threats/{threat.pk}/close/", {"closed_on": "2026-03-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ThreatStatus.RESOLVED
    assert response.json()["closed_on"] == "2026-03-01"
