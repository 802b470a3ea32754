"""Edits made in the admin refresh the rollups they touch, like the write services."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory

from incidents.models import Incident
from indicators.models import Rollup
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db


def _killed_women(mission, month: datetime.date):  # type: ignore[no-untyped-def]
    row = Rollup.objects.filter(
        indicator__code="POC-01",
        mission=mission,
        area__isnull=True,
        period="month",
        period_start=month,
        disaggregation="women",
        breakdown="",
    ).first()
    return row and row.provisional_value


def test_incident_admin_save_and_delete_refresh_rollups(
    administrator, django_capture_on_commit_callbacks
):
    # given an incident built in the admin
    locality = LocalityFactory()
    model_admin = admin.site._registry[Incident]
    request = RequestFactory().post("/")
    request.user = administrator
    incident = IncidentFactory.build(
        mission=locality.mission,
        area=locality,
        occurred_on=datetime.date(2026, 5, 14),
        killed_women=3,
        verification_status="reported",
    )
    form = SimpleNamespace(instance=incident, save_m2m=lambda: None)
    # when it is saved, then moved to June
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, incident, form, change=False)
        model_admin.save_related(request, form, [], change=False)
    assert _killed_women(locality.mission, datetime.date(2026, 5, 1)) == 3
    incident.occurred_on = datetime.date(2026, 6, 2)
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, incident, form, change=True)
        model_admin.save_related(request, form, [], change=True)
    # then May no longer counts it and June does; and deleting it clears June
    assert _killed_women(locality.mission, datetime.date(2026, 5, 1)) is None
    assert _killed_women(locality.mission, datetime.date(2026, 6, 1)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.delete_model(request, incident)
    assert _killed_women(locality.mission, datetime.date(2026, 6, 1)) is None
