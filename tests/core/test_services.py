"""core.services.validate: full_clean's answer, with one query for all check constraints."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint

from core.services import validate
from tests.factories.alerts import RECEIVED_AT, AlertFactory
from tests.factories.incidents import IncidentFactory
from threats.choices import ViolenceType

pytestmark = pytest.mark.django_db


def _errors(check, instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        check(instance)
    return raised.value.message_dict


def test_validate_reports_a_broken_check_as_full_clean_does() -> None:
    # given sexual violence left unrestricted, which only a check constraint forbids
    incident = IncidentFactory.build(
        incident_type=ViolenceType.SEXUAL_VIOLENCE, is_restricted=False, sv_women=1
    )
    incident.mission.save()
    incident.area.parent.parent.save()
    incident.area.parent.save()
    incident.area.save()
    incident.area_id = incident.area.pk
    incident.mission_id = incident.mission.pk

    assert _errors(validate, incident) == _errors(lambda i: i.full_clean(), incident)
    assert "incidents_incident_sensitive_types_restricted" in str(_errors(validate, incident))


def test_validate_passes_what_full_clean_passes(django_assert_max_num_queries) -> None:
    alert = AlertFactory(deployed_at=None, arrived_at=RECEIVED_AT + datetime.timedelta(hours=2))
    checks = [c for c in alert._meta.constraints if isinstance(c, CheckConstraint)]
    assert len(checks) >= 5

    # the mission and area exist (2), the checks in one SELECT and its savepoint (3)
    with django_assert_max_num_queries(5):
        validate(alert)


def test_validate_reports_every_broken_check() -> None:
    alert = AlertFactory()
    alert.severity = "apocalyptic"
    alert.acknowledged_at = alert.received_at - datetime.timedelta(hours=1)

    errors = _errors(validate, alert)

    assert set(errors) == {"severity", "acknowledged_at"}
