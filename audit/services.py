"""Recording the audit trail: the write services call these, inside their own transaction.

A service snapshots a record before changing it, makes the change, then records the entry:

    before = audit_snapshot(threat)
    threat, changed = model_update(instance=threat, data=data, fields=FIELDS)
    audit_update(by=by, instance=threat, before=before)

Each entry takes the current request id (`audit.context`), so everything one request or task
changes reads together. Recording writes one INSERT per entry; `audit_many` writes a batch in one.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.duration import duration_iso_string

from core.batches import INSERT_ROWS
from missions.permissions import record_mission_id

from .choices import WORKFLOW_ACTIONS, AuditAction
from .context import current_request_id
from .models import AuditEntry

if TYPE_CHECKING:
    from accounts.models import User

Snapshot = dict[str, Any]
Changes = dict[str, list[Any]]

# Bookkeeping columns the services never set; every change would otherwise show updated_at.
SKIPPED_FIELDS = frozenset({"created_at", "updated_at"})
# Kept as a digest: the trail shows that a password changed, never the stored hash itself.
SECRET_FIELDS = frozenset({"password"})


def _jsonable(field: models.Field[Any, Any], value: Any) -> Any:
    """Return `value` as JSON can hold it, equal for equal stored values."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        # Quantized to the column's places, so Decimal(3) in memory equals "3.00" read back.
        exponent = decimal.Decimal(1).scaleb(-field.decimal_places)
        return str(decimal.Decimal(field.to_python(value)).quantize(exponent))
    if isinstance(value, datetime.datetime):
        # One time zone, so the same instant set in a mission's zone equals the stored UTC one.
        aware = value.astimezone(datetime.UTC) if value.tzinfo else value
        return aware.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)  # files, and any other type: its text


def audit_snapshot(instance: models.Model, *, links: bool = True) -> Snapshot:
    """Return the record's stored fields as JSON values, to diff against after a change.

    Foreign keys appear by id under the field's name ("area": 12); many-to-many fields as
    sorted lists of ids, one query each (none for an unsaved record, nor with `links` False,
    for a change that leaves them alone). The primary key, timestamps and generated columns
    are left out: nobody sets them.
    """
    snapshot: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in SKIPPED_FIELDS:
            continue
        if isinstance(field, models.GeneratedField):
            continue
        value = _jsonable(field, field.value_from_object(instance))
        if field.name in SECRET_FIELDS and value:
            value = "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:12]
        snapshot[field.name] = value
    if instance.pk is None or not links:
        return snapshot
    for field in instance._meta.many_to_many:
        related = getattr(instance, field.name).order_by().values_list("pk", flat=True)
        snapshot[field.name] = sorted(related)
    return snapshot


def audit_changes(before: Snapshot | None, after: Snapshot | None) -> Changes:
    """Return {field: [before, after]} for each field whose value differs.

    None for `before` is a creation and for `after` a deletion: every field is listed, empty
    ones too, so the entry shows the whole record. A field missing from one side counts as None
    there, so give two snapshots, or two dicts of the same fields.
    """
    if before is None or after is None:
        return {name: [None, value] for name, value in (after or {}).items()} | {
            name: [value, None] for name, value in (before or {}).items()
        }
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    }


def _shared(*, by: User | None, action: str, reason: str = "") -> dict[str, Any]:
    """What the entries of one change, or of one batch's creations, have in common."""
    return {
        "at": timezone.now(),
        "request_id": current_request_id(),
        "actor_id": by.pk if by is not None else None,
        "actor_name": by.get_username() if by is not None else "",
        "action": action,
        "reason": reason,
    }


def _entry(shared: dict[str, Any], instance: models.Model, changes: Changes) -> AuditEntry:
    if instance.pk is None:
        raise ValueError("An audit entry needs the record's id: record a deletion before it.")
    return AuditEntry(
        **shared,
        # cached by Django after the first lookup of each model: no query per entry
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        mission_id=record_mission_id(instance),
        is_restricted=bool(getattr(instance, "is_restricted", False)),
        changes=changes,
    )


def audit_entry(
    *,
    by: User | None,
    instance: models.Model,
    action: str,
    changes: Changes,
    reason: str = "",
) -> AuditEntry:
    """Build, without saving, the entry for one change to `instance` made by `by`.

    `by` is None for changes the system makes itself. For batches: build the entries, then
    write them together with `audit_many`.
    """
    return _entry(_shared(by=by, action=action, reason=reason), instance, changes)


def audit_many(entries: list[AuditEntry]) -> None:
    """Write a batch of built entries, a thousand rows an INSERT."""
    AuditEntry.objects.bulk_create(entries, batch_size=INSERT_ROWS)


def audit_creations(*, by: User | None, created: Sequence[tuple[models.Model, Snapshot]]) -> None:
    """Record that `by` created each of a batch's records, with its snapshot, in one INSERT.

    What the entries share (the request, the user, the moment) is worked out once: a batch
    has thousands of them.
    """
    shared = _shared(by=by, action=AuditAction.CREATE)
    audit_many([_entry(shared, record, audit_changes(None, after)) for record, after in created])


def audit_create(
    *,
    by: User | None,
    instance: models.Model,
    reason: str = "",
    after: Snapshot | None = None,
) -> AuditEntry:
    """Record that `by` created `instance`, with every field's first value.

    `after` replaces the snapshot for a caller that records more than the row's fields (an
    observation's figures).
    """
    entry = audit_entry(
        by=by,
        instance=instance,
        action=AuditAction.CREATE,
        changes=audit_changes(None, audit_snapshot(instance) if after is None else after),
        reason=reason,
    )
    entry.save()
    return entry


def audit_update(
    *,
    by: User | None,
    instance: models.Model,
    before: Snapshot,
    action: str = AuditAction.UPDATE,
    reason: str = "",
    after: Snapshot | None = None,
) -> AuditEntry | None:
    """Record that `by` changed `instance` from `before` to its current state (or `after`).

    Writes nothing and returns None when nothing changed, unless `action` is a workflow verb:
    a transition is on the record even when no field but its state (or none) moved. Pass
    `after` when the change was made by a queryset update that left `instance` stale.
    """
    changes = audit_changes(before, audit_snapshot(instance) if after is None else after)
    if not changes and action not in WORKFLOW_ACTIONS:
        return None
    entry = audit_entry(by=by, instance=instance, action=action, changes=changes, reason=reason)
    entry.save()
    return entry


def audit_delete(
    *,
    by: User | None,
    instance: models.Model,
    before: Snapshot | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record that `by` deleted `instance`, with every field's last value.

    Call it before `instance.delete()`, in the same transaction: Django clears the instance's
    id on delete, and many-to-many links vanish with the row. `before` is a snapshot taken
    earlier, for a caller that has one.
    """
    entry = audit_entry(
        by=by,
        instance=instance,
        action=AuditAction.DELETE,
        changes=audit_changes(audit_snapshot(instance) if before is None else before, None),
        reason=reason,
    )
    entry.save()
    return entry
