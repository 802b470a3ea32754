"""Log, correct and remove incidents; every change refreshes the figures it moves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.services import create_record, editable_fields
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import (
    INCIDENT_DERIVATIONS,
    delete_refreshing,
    record_ranges,
    rollups_changed,
    update_refreshing,
)
from missions.models import Area, Mission
from missions.permissions import Verb, require
from threats.choices import RESTRICTED_VIOLENCE_TYPES

from .models import GraveViolation, Incident

if TYPE_CHECKING:
    from accounts.models import User

# Everything a user may correct; the mission and who logged it stay as they were.
INCIDENT_FIELDS = editable_fields(Incident, exclude={"mission", "reported_by"})


def rollup_ranges(incident: Incident) -> list[BucketRange]:
    return record_ranges(
        derivations=INCIDENT_DERIVATIONS,
        mission_id=incident.mission_id,
        area_id=incident.area_id,
        start=incident.occurred_on,
    )


def _must_restrict(incident_type: str, has_grave_violations: bool) -> bool:
    """Sexual violence and violations against children are need-to-know, whatever was asked."""
    return incident_type in RESTRICTED_VIOLENCE_TYPES or has_grave_violations


@transaction.atomic
def incident_create(
    *,
    by: User,
    mission: Mission,
    area: Area,
    grave_violations: Iterable[GraveViolation] = (),
    **fields: Any,
) -> Incident:
    """Log an incident in a mission, restricted when its nature requires it."""
    grave_violations = list(grave_violations)
    incident = Incident(mission=mission, area=area, reported_by=by, **fields)
    if _must_restrict(incident.incident_type, bool(grave_violations)):
        incident.is_restricted = True
    create_record(by=by, instance=incident, m2m={"grave_violations": grave_violations})
    rollups_changed(rollup_ranges(incident))
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, by: User, data: dict[str, Any]) -> Incident:
    """Correct an incident, and refresh the figures of where and when it was and now is.

    Lifting the restriction takes someone cleared to see restricted records, and never happens
    for sexual violence or grave violations against children.
    """
    data = dict(data)
    if "grave_violations" in data:
        data["grave_violations"] = list(data["grave_violations"])
        violations = bool(data["grave_violations"])
    else:
        violations = incident.grave_violations.exists()
    if _must_restrict(data.get("incident_type", incident.incident_type), violations):
        data["is_restricted"] = True
    elif incident.is_restricted and data.get("is_restricted") is False:
        require(by, Verb.UNRESTRICT, incident)
    return update_refreshing(
        incident, by=by, data=data, fields=INCIDENT_FIELDS, ranges=rollup_ranges
    )


@transaction.atomic
def incident_delete(*, incident: Incident, by: User) -> None:
    """Delete an incident and take it out of the figures."""
    delete_refreshing(incident, by=by, ranges=rollup_ranges)
