"""No record holds a victim's name or contact details, and no log holds a restricted record's
free text.

Every model field and every API serializer field is walked: a field named for a person's
identity or whereabouts (victim, survivor, witness, phone, address, date of birth, ...) fails,
except the staff's own user account, which is not about the people the tracker protects.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from accounts.models import User
from api.urls import router
from incidents.models import Incident
from missions.models import Mission
from tests.factories.missions import LocalityFactory

IDENTIFYING = re.compile(
    r"victim|survivor_name|witness|phone|mobile|e_?mail|address|contact|next_of_kin|"
    r"birth|national_id|passport|identity|first_name|last_name|surname|full_name",
    re.IGNORECASE,
)
# the staff's own accounts (and Django's, and third-party bookkeeping of sign-ins)
STAFF = {"accounts.user", "admin.logentry", "axes.accessattempt", "axes.accesslog",
         "axes.accessfailurelog", "sessions.session"}  # fmt: skip


def test_no_model_field_names_a_person() -> None:
    found = [
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        if model._meta.label_lower not in STAFF
        for field in model._meta.get_fields()
        if IDENTIFYING.search(field.name)
    ]
    assert found == []


def test_no_api_field_names_a_person() -> None:
    found = []
    for _prefix, viewset, _basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        queryset = getattr(viewset, "queryset", None)
        staff = queryset is not None and queryset.model._meta.label_lower in STAFF
        if serializer_class is None or staff:
            continue
        for name in serializer_class().fields:
            if IDENTIFYING.search(name):
                found.append(f"{viewset.__name__}.{name}")
    assert found == []


@pytest.mark.django_db
def test_a_restricted_write_leaves_its_free_text_out_of_every_log(
    poc_adviser: User, mission_a: Mission, caplog: pytest.LogCaptureFixture
) -> None:
    locality = LocalityFactory(mission=mission_a)
    secret = "Account given in confidence 7Q4-ZX"
    client = APIClient()
    client.force_authenticate(poc_adviser)
    caplog.set_level(logging.DEBUG)

    created = client.post(
        "/api/v1/incidents/",
        {
            "mission": mission_a.pk,
            "area": locality.pk,
            "occurred_on": "2026-03-10",
            "incident_type": "sexual_violence",
            "perpetrator_category": "unknown",
            "source_type": "un_patrol",
            "sv_women": 1,
            "description": secret,
        },
        format="json",
    )
    refused = client.post(
        "/api/v1/incidents/",
        {"mission": mission_a.pk, "occurred_on": "1066-10-14", "description": secret},
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert refused.status_code == 400
    assert Incident.objects.get(pk=created.json()["id"]).is_restricted
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "the requests were logged at all"
    assert secret not in logged
