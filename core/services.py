"""Write helpers shared by every app's services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models import (
    Case,
    CheckConstraint,
    ProtectedError,
    Q,
    RestrictedError,
    UniqueConstraint,
    Value,
    When,
)
from django.db.models.deletion import Collector
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import (
    audit_changes,
    audit_create,
    audit_delete,
    audit_entry,
    audit_many,
    audit_snapshot,
    audit_update,
)
from missions.permissions import WRITE_POLICY, Verb, require

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


def validate(instance: models.Model) -> None:
    """Validate a record as `full_clean()` does, asking the database once for its checks.

    Django runs each check constraint as a query in a savepoint of its own: three queries a
    constraint, most of a write's cost. Here every check condition (the constraint's own: no
    rule is restated) is one column of a single SELECT; unique constraints are validated as
    Django does. Errors come back as full_clean's would.
    """
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    exclude = set(errors)  # as full_clean does: a field already in error is not checked again
    using = router.db_for_write(type(instance), instance=instance)
    checks = [c for c in instance._meta.constraints if isinstance(c, CheckConstraint)]
    for constraint in _violated(instance, checks, exclude, using):
        message = constraint.get_violation_error_message()
        code = constraint.violation_error_code
        errors = ValidationError(message, code=code).update_error_dict(errors)
    for rule in instance._meta.constraints:
        if isinstance(rule, CheckConstraint):
            continue
        try:
            rule.validate(type(instance), instance, exclude=exclude, using=using)
        except ValidationError as error:
            field = _scoped_unique_field(rule)
            if field is not None:
                error = ValidationError({field: error.error_list})
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _scoped_unique_field(rule: models.BaseConstraint) -> str | None:
    """The field a "unique in its mission" constraint's error belongs to, for those that say
    so with the code "unique" (a client id, `core.db.client_id_unique`), as Django files a
    one-field unique constraint's error under its field; None for others."""
    if not isinstance(rule, UniqueConstraint) or rule.violation_error_code != "unique":
        return None
    fields = [name for name in rule.fields if name != "mission"]
    return fields[0] if len(fields) == 1 else None


def validate_field(value: Any, *, name: str, validators: Iterable[Any]) -> None:
    """Run a field's validators on a value a conditional update writes without full_clean,
    and report a failure as that field's error."""
    try:
        for validator in validators:
            validator(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error


def _violated(
    instance: models.Model, checks: list[CheckConstraint], exclude: set[str], using: str
) -> list[CheckConstraint]:
    """The check constraints the record's values break, from one query."""
    query = Query(None)
    # the values as Django's own check() puts them in its query
    values = instance._get_field_expression_map(  # type: ignore[attr-defined]  # private Model API, not in the stubs
        meta=instance._meta, exclude=exclude
    )
    for name, value in values.items():
        query.add_annotation(value, name, select=False)
    asked = []
    for index, constraint in enumerate(checks):
        # NOT condition: a NULL (unknown) condition passes, as in the database's CHECK
        verdict = Case(When(~Q(constraint.condition), then=Value(False)), default=Value(True))
        try:
            query.add_annotation(verdict, f"check_{index}")
        except FieldError:
            continue  # it reads a field already in error: Django skips it too
        asked.append(constraint)
    if not asked:
        return []
    try:
        with transaction.atomic(using=using):
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return []  # as Django's check(): the database, at the write, has the last word
    return [constraint for constraint, passed in zip(asked, row, strict=True) if not passed]


def _pks(values: Iterable[models.Model | int]) -> set[Any]:
    return {value.pk if isinstance(value, models.Model) else value for value in values}


def _differs(instance: models.Model, field: models.Field[Any, Any], value: Any) -> bool:
    # Compare a relation by its id, so checking an unchanged foreign key costs no query.
    differs: bool
    if field.is_relation:
        wanted = value.pk if isinstance(value, models.Model) else value
        differs = getattr(instance, field.attname) != wanted
    else:
        differs = getattr(instance, field.name) != value
    return differs


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
            continue
        assert isinstance(field, models.Field), "a reverse relation is written from its own side"
        if _differs(instance, field, data[name]):
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        validate(instance)
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
    validate(instance)
    instance.save()
    for name, values in (m2m or {}).items():
        values = list(values)
        if values:  # a new row has no links to replace
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


def _cascaded(instance: models.Model) -> list[models.Model]:
    """The records a deletion takes with it that the policy guards (a threat's communities
    and response plan, an implementation's actions), as Django's delete will collect them."""
    collector = Collector(using=router.db_for_write(type(instance), instance=instance))
    collector.collect([instance])
    batches: list[Iterable[models.Model]] = [*collector.data.values(), *collector.fast_deletes]
    return [
        row
        for batch in batches
        for row in batch
        if row._meta.label_lower in WRITE_POLICY and row != instance
    ]


def delete_record(*, by: User, instance: models.Model, reason: str = "") -> None:
    """Record the deletion of a record and of what it takes with it, then delete them."""
    require(by, Verb.DELETE, instance)
    try:
        cascaded = _cascaded(instance)
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("%(record)s cannot be deleted while other records refer to it.")
            % {"record": instance}
        ) from error
    # the entries are written first: the rows, their ids and many-to-many sets go with delete()
    audit_delete(by=by, instance=instance, reason=reason)
    with_it = _("Deleted with %(record)s.") % {"record": instance}
    audit_many(
        [
            audit_entry(
                by=by,
                instance=row,
                action=AuditAction.DELETE,
                changes=audit_changes(audit_snapshot(row), None),
                reason=with_it,
            )
            for row in cascaded
        ]
    )
    instance.delete()
