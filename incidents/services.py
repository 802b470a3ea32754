"""Log, correct and remove incidents; every change refreshes the figures it moves."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.choices import AuditAction
from audit.services import (
    Snapshot,
    audit_changes,
    audit_creations,
    audit_entry,
    audit_many,
    audit_snapshot,
)
from core.batches import (
    INSERT_ROWS,
    BatchError,
    clean_new,
    client_id_conflicts,
    collect,
    create_in_batch,
)
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
from missions.permissions import Verb, require, require_each
from threats.choices import RESTRICTED_VIOLENCE_TYPES

from .models import GraveViolation, Incident

if TYPE_CHECKING:
    from accounts.models import User
    from imports.models import IncidentImport

# Everything a user may correct; the mission and who logged it stay as they were.
INCIDENT_FIELDS = editable_fields(Incident, exclude={"mission", "reported_by"})
# What a newer file of the same source may change on an incident it brought; what the mission
# decided itself (verification, restriction, the threat it belongs to) stays as it was.
IMPORTED_FIELDS = [
    name
    for name in INCIDENT_FIELDS
    if name
    not in {
        "verification_status",
        "source_type",
        "source_reliability",
        "is_restricted",
        "threat",
        "grave_violations",
        "external_source",
        "external_id",
        "client_id",
        "import_run",
        "occurred_at",
    }
]


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


def _new_incident(by: User, row: Mapping[str, Any]) -> tuple[Incident, list[GraveViolation]]:
    fields = dict(row)
    violations = list(fields.pop("grave_violations", ()))
    incident = Incident(reported_by=by, **fields)
    if _must_restrict(incident.incident_type, bool(violations)):
        incident.is_restricted = True
    return incident, violations


def _insert(by: User, built: list[tuple[Incident, list[GraveViolation]]]) -> list[Incident]:
    """Check the new incidents without a query each, then write them in a few statements."""
    incidents = [incident for incident, _violations in built]
    refused: dict[int, ValidationError] = {}
    for index, incident in enumerate(incidents):
        try:
            clean_new(incident)
        except ValidationError as error:
            refused[index] = error
    for index, conflict in client_id_conflicts(incidents).items():
        collect(refused, index, conflict)
    if refused:
        raise BatchError(refused)
    # a new record has no links yet: its snapshot costs no query, and gets them by hand
    snapshots = [audit_snapshot(incident) for incident in incidents]
    Incident.objects.bulk_create(incidents, batch_size=INSERT_ROWS)
    links = Incident.grave_violations.through
    links.objects.bulk_create(
        (
            links(incident_id=incident.pk, graveviolation_id=violation.pk)
            for incident, violations in built
            for violation in violations
        ),
        batch_size=INSERT_ROWS,
    )
    audit_creations(
        by=by,
        created=[
            (incident, {**after, "grave_violations": sorted(v.pk for v in violations)})
            for (incident, violations), after in zip(built, snapshots, strict=True)
        ],
    )
    rollups_changed([r for incident in incidents for r in rollup_ranges(incident)])
    return incidents


@transaction.atomic
def incident_bulk_create(*, by: User, rows: Sequence[Mapping[str, Any]]) -> list[Incident]:
    """Log many incidents at once, as `incident_create` logs one: all of them, or none.

    Each is on the audit trail; the figures they move are refreshed once, on commit.
    """
    built = [_new_incident(by, row) for row in rows]
    require_each(by, Verb.CREATE, [incident for incident, _violations in built])
    return create_in_batch(
        rows,
        insert=lambda _rows: _insert(by, built),
        one=lambda row: incident_create(by=by, **row),
    )


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


def _ranges_before(incident: Incident, before: Snapshot) -> list[BucketRange]:
    return record_ranges(
        derivations=INCIDENT_DERIVATIONS,
        mission_id=incident.mission_id,
        area_id=before["area"],
        start=datetime.date.fromisoformat(before["occurred_on"]),
    )


@transaction.atomic
def incident_import_write(
    *,
    by: User,
    run: IncidentImport,
    created: Sequence[Incident],
    changed: Sequence[tuple[Incident, Snapshot]],
    refresh: bool,
) -> None:
    """Write one chunk of an import: its new incidents, and those a newer file changed.

    The import has checked each record (`clean_new`) and found the changed ones among those
    its user may change; here they are written in a few statements, each on the audit trail
    and pointing at the import. `refresh` False: the import rebuilds the mission's figures
    once at the end instead of refreshing each record's buckets.
    """
    require_each(by, Verb.CREATE, created)
    now = timezone.now()
    for incident in created:
        incident.import_run = run
        if _must_restrict(incident.incident_type, False):
            incident.is_restricted = True
    # a new record has no links yet: its snapshot costs no query
    snapshots = [audit_snapshot(incident) for incident in created]
    Incident.objects.bulk_create(created)
    entries = [
        audit_entry(
            by=by,
            instance=incident,
            action=AuditAction.CREATE,
            changes=audit_changes(None, {**after, "grave_violations": []}),
        )
        for incident, after in zip(created, snapshots, strict=True)
    ]
    for incident, before in changed:
        incident.import_run = run
        incident.updated_at = now
        if _must_restrict(incident.incident_type, False):
            incident.is_restricted = True
        after = audit_snapshot(incident, links=False)
        entries.append(
            audit_entry(
                by=by,
                instance=incident,
                action=AuditAction.UPDATE,
                changes=audit_changes(before, after),
            )
        )
    if changed:
        Incident.objects.bulk_update(
            [incident for incident, _before in changed],
            [*IMPORTED_FIELDS, "import_run", "is_restricted", "updated_at"],
        )
    audit_many(entries)
    if refresh:
        rollups_changed(
            [r for incident in created for r in rollup_ranges(incident)]
            + [
                r
                for incident, before in changed
                for r in (*_ranges_before(incident, before), *rollup_ranges(incident))
            ]
        )
