"""Write helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_create, audit_delete, audit_snapshot, audit_update
from missions.permissions import Verb, require

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)


def editable_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """List the fields a user may edit on `model`, leaving out timestamps and `exclude`."""
    skip = {"created_at", "updated_at", *exclude}
    return [
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created and field.name not in skip
    ]


def _pks(values: Iterable[models.Model | int]) -> set[Any]:
    return {value.pk if isinstance(value, models.Model) else value for value in values}


def _differs(instance: models.Model, field: models.Field, value: Any) -> bool:
    # Compare a relation by its id, so checking an unchanged foreign key costs no query.
    if field.is_relation:
        wanted = value.pk if isinstance(value, models.Model) else value
        return getattr(instance, field.attname) != wanted
    return getattr(instance, field.name) != value


def model_update(*, instance: M, data: dict[str, Any], fields: list[str]) -> tuple[M, bool]:
    """Set the listed fields found in `data`, validate, and save only what changed.

    Keys of `data` outside `fields` are ignored, so a caller cannot write a column the service
    did not open. Many-to-many fields are set after the row is saved. Returns the instance and
    whether anything changed; an unchanged instance is neither validated nor saved.
    Validation sees the new scalar values, not the new many-to-many sets: a rule that spans
    both belongs in the calling service.
    """
    changed: list[str] = []
    m2m: dict[str, set[Any]] = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        if field.many_to_many:
            wanted = _pks(data[name])
            if wanted != _pks(getattr(instance, name).all()):
                m2m[name] = wanted
        elif _differs(instance, field, data[name]):
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean()
    if changed or m2m:
        # updated_at moves with any change: it dates the figures computed from this row
        stamp = ["updated_at"] if hasattr(instance, "updated_at") else []
        instance.save(update_fields=[*changed, *stamp])
    for name, wanted in m2m.items():
        getattr(instance, name).set(wanted)
    return instance, bool(changed or m2m)


# --- Audited writes -------------------------------------------------------------------------
# The three plain writes every service builds on: each asks the policy first, validates, and
# leaves an entry in the audit trail in the same transaction, so a write and its record stand
# or fall together.


def create_record(
    *, by: User, instance: M, m2m: dict[str, Iterable[Any]] | None = None, reason: str = ""
) -> M:
    """Validate and save a new record with its many-to-many sets, and record who created it."""
    require(by, Verb.CREATE, instance)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    audit_create(by=by, instance=instance, reason=reason)
    return instance


def update_record(
    *,
    by: User,
    instance: M,
    data: dict[str, Any],
    fields: list[str],
    verb: Verb = Verb.CHANGE,
    reason: str = "",
) -> tuple[M, bool]:
    """Apply `data` through `model_update` and record what changed, from what to what."""
    require(by, verb, instance)
    before = audit_snapshot(instance)
    instance, changed = model_update(instance=instance, data=data, fields=fields)
    if changed:
        # a workflow step is on the record under its own name ("respond", "close")
        action = AuditAction.UPDATE if verb == Verb.CHANGE else AuditAction(verb.value)
        audit_update(by=by, instance=instance, before=before, action=action, reason=reason)
    return instance, changed


def delete_record(*, by: User, instance: models.Model, reason: str = "") -> None:
    """Record the deletion with the record's last values, then delete it."""
    require(by, Verb.DELETE, instance)
    # the entry is written first: the row, its id and its many-to-many sets go with delete()
    audit_delete(by=by, instance=instance, reason=reason)
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("%(record)s cannot be deleted while other records refer to it.")
            % {"record": instance}
        ) from error
