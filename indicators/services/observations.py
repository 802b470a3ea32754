"""Observations: log, submit, validate, return and reopen hand-logged indicator values.

Every state change is a conditional update (two validators cannot both win, a retried request
changes nothing), leaves a transition with the values at that moment, and refreshes the
rollups the observation feeds once the transaction commits.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.choices import AuditAction
from audit.services import (
    audit_create,
    audit_creations,
    audit_delete,
    audit_snapshot,
    audit_update,
)
from core.batches import (
    INSERT_ROWS,
    BatchError,
    chunks,
    clean_new,
    client_id_conflicts,
    collect,
    create_in_batch,
)
from core.choices import SexAge
from core.services import model_update, validate
from missions.models import Area, Mission
from missions.permissions import Verb, require, require_each

from ..choices import CombinationMethod, DataSource, Disaggregation, Frequency, ObservationState
from ..models import Indicator, Observation, ObservationTransition, ObservationValue
from ..rollups.ranges import WHOLE_MISSION, BucketRange
from .rollups import rollups_changed

ValueInput = Mapping[str, Decimal | int | float | str | None]
GROUPS = (SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS, SexAge.UNKNOWN)
COUNTED = (ObservationState.SUBMITTED, ObservationState.VALIDATED)
# A place reports an indicator once it has submitted a figure for it (the report counts
# expected of it follow, see rollups/completeness.py): deleting such an observation changes them.
REPORTED = (*COUNTED, ObservationState.RETURNED)
# What a draft's author may correct; the indicator, mission and workflow columns stay.
OBSERVATION_FIELDS = ["area", "period_start", "period_end", "note"]


def _period_is_aligned(frequency: str, start: datetime.date, end: datetime.date) -> bool:
    """Whether [start, end] is exactly one ISO week, month, quarter or year."""
    following = end + datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        return start.weekday() == 0 and (end - start).days == 6
    if frequency == Frequency.MONTHLY:
        return start.day == 1 and following.day == 1 and following.month != start.month
    if frequency == Frequency.QUARTERLY:
        return (
            start.day == 1
            and start.month in (1, 4, 7, 10)
            and following.day == 1
            and (following.month - start.month) % 12 == 3
        )
    return (
        (start.month, start.day) == (1, 1)
        and (end.month, end.day) == (12, 31)
        and (start.year == end.year)
    )


def _require_aligned(indicator: Indicator, start: datetime.date, end: datetime.date) -> None:
    if not _period_is_aligned(indicator.frequency, start, end):
        raise ValidationError(
            {
                "period_start": _("The period must be one whole %(frequency)s period.")
                % {"frequency": indicator.get_frequency_display().lower()}
            }
        )


def _clean_values(indicator: Indicator, values: Mapping[str, ValueInput]) -> list[dict[str, Any]]:
    """Check the figures against what the indicator asks for; return rows to store."""
    allowed = GROUPS if indicator.disaggregation == Disaggregation.SEX_AGE else (SexAge.TOTAL,)
    unknown = set(values) - set(allowed)
    if unknown or not values:
        raise ValidationError(
            _("Give figures for: %(groups)s.") % {"groups": ", ".join(str(g) for g in allowed)}
        )
    ratio = indicator.method in (CombinationMethod.RATIO, CombinationMethod.SHARE_WITHIN_STANDARD)
    rows = []
    for group, figures in values.items():
        if ratio and (figures.get("numerator") is None or figures.get("denominator") is None):
            raise ValidationError(_("A ratio needs a numerator and a denominator."))
        if not ratio and figures.get("value") is None:
            raise ValidationError(_("Give a value for each figure."))
        rows.append(
            {
                "disaggregation": group,
                **{k: figures.get(k) for k in ("value", "numerator", "denominator")},
            }
        )
    return rows


FIGURES = ("value", "numerator", "denominator")


def _figure(value: Decimal | None) -> str | None:
    # at the column's places, so a figure given as 7 reads as stored: "7.0000"
    places = ObservationValue._meta.get_field("value").decimal_places
    return None if value is None else str(Decimal(value).quantize(Decimal(1).scaleb(-places)))


def _figures(values: Iterable[ObservationValue]) -> dict[str, Any]:
    return {v.disaggregation: {k: _figure(getattr(v, k)) for k in FIGURES} for v in values}


def _snapshot(observation: Observation) -> dict[str, Any]:
    return _figures(observation.values.all())


def _audited(observation: Observation) -> dict[str, Any]:
    """The observation as the audit trail keeps it: its fields and its figures."""
    return {**audit_snapshot(observation), "values": _snapshot(observation)}


def rollup_ranges(observation: Observation) -> list[BucketRange]:
    area = WHOLE_MISSION if observation.area_id is None else observation.area_id
    return [
        BucketRange(
            observation.indicator_id,
            observation.mission_id,
            area,
            observation.period_start,
            observation.period_end,
        )
    ]


def _store_values(observation: Observation, rows: list[dict[str, Any]]) -> None:
    observation.values.all().delete()
    values = [ObservationValue(observation=observation, **row) for row in rows]
    for value in values:
        value.full_clean(exclude=["observation"])
    ObservationValue.objects.bulk_create(values)


@transaction.atomic
def observation_create(
    *,
    by: User,
    indicator: Indicator,
    mission: Mission,
    area: Area | None,
    period_start: datetime.date,
    period_end: datetime.date,
    values: Mapping[str, ValueInput],
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> Observation:
    """Log a draft value of a hand-logged indicator for a mission or area and a period."""
    if indicator.source != DataSource.MANUAL:
        raise ValidationError(_("This indicator is derived from records; it is not logged."))
    observation = Observation(
        indicator=indicator,
        mission=mission,
        area=area,
        period_start=period_start,
        period_end=period_end,
        note=note,
        client_id=client_id,
        logged_by=by,
    )
    require(by, Verb.CREATE, observation)
    validate(observation)  # first: the dates in their window before any date arithmetic
    _require_aligned(indicator, period_start, period_end)
    observation.save()
    _store_values(observation, _clean_values(indicator, values))
    audit_create(by=by, instance=observation, after=_audited(observation))
    return observation


def _checked_figures(observation: Observation, values: Mapping[str, ValueInput]) -> list[Any]:
    """Check a new observation as `observation_create` does, without a query: return its
    figures as rows to store, or raise every error it has."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        if observation.indicator.source != DataSource.MANUAL:
            raise ValidationError(_("This indicator is derived from records; it is not logged."))
        clean_new(observation)
        _require_aligned(observation.indicator, observation.period_start, observation.period_end)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    figures: list[ObservationValue] = []
    try:
        rows = _clean_values(observation.indicator, values)
        figures = [ObservationValue(observation=observation, **row) for row in rows]
        for figure in figures:
            clean_new(figure)
    except ValidationError as error:
        errors = ValidationError({"values": error.messages}).update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return figures


def _place_period(o: Observation) -> tuple[Any, ...]:
    # the keys of the two "one per place and period" constraints: an area, or the mission
    return (o.indicator_id, o.area_id, o.mission_id if o.area_id is None else None, o.period_start)


def _period_conflicts(observations: Sequence[Observation]) -> dict[int, ValidationError]:
    """The rows that repeat an earlier row's or a stored observation's place and period."""
    stored: set[tuple[Any, ...]] = set()
    indicators = sorted({o.indicator_id for o in observations})
    missions = sorted({o.mission_id for o in observations})
    for starts in chunks(sorted({o.period_start for o in observations})):
        stored.update(
            _place_period(o)
            for o in Observation.objects.filter(
                indicator_id__in=indicators, mission_id__in=missions, period_start__in=starts
            ).only("indicator_id", "area_id", "mission_id", "period_start")
        )
    refused, seen = {}, set()
    message = _("This indicator already has a figure for this place and period.")
    for index, observation in enumerate(observations):
        key = _place_period(observation)
        if key in stored or key in seen:
            refused[index] = ValidationError(
                {"period_start": ValidationError(message, code="unique")}
            )
        seen.add(key)
    return refused


def _insert(by: User, built: list[tuple[Observation, Mapping[str, ValueInput]]]) -> list[Any]:
    """Check the new observations without a query each, then write them in a few statements."""
    observations = [observation for observation, _values in built]
    refused: dict[int, ValidationError] = {}
    figures: list[list[ObservationValue]] = []
    for index, (observation, values) in enumerate(built):
        try:
            figures.append(_checked_figures(observation, values))
        except ValidationError as error:
            refused[index] = error
    for found in (client_id_conflicts(observations), _period_conflicts(observations)):
        for index, conflict in found.items():
            collect(refused, index, conflict)
    if refused:
        raise BatchError(refused)
    Observation.objects.bulk_create(observations, batch_size=INSERT_ROWS)
    for observation, rows in zip(observations, figures, strict=True):
        for figure in rows:
            figure.observation = observation  # now with its id
    ObservationValue.objects.bulk_create(
        [figure for rows in figures for figure in rows], batch_size=INSERT_ROWS
    )
    audit_creations(
        by=by,
        created=[
            (observation, {**audit_snapshot(observation), "values": _figures(rows)})
            for observation, rows in zip(observations, figures, strict=True)
        ],
    )
    return observations


@transaction.atomic
def observation_bulk_create(*, by: User, rows: Sequence[Mapping[str, Any]]) -> list[Observation]:
    """Log many draft observations with their figures at once: all of them, or none.

    Each is checked as `observation_create` checks one, and is on the audit trail. Drafts
    count in no figure, so no rollup is refreshed, as for one.
    """
    built = [
        (
            Observation(logged_by=by, **{k: v for k, v in row.items() if k != "values"}),
            row["values"],
        )
        for row in rows
    ]
    require_each(by, Verb.CREATE, [observation for observation, _values in built])
    return create_in_batch(
        rows,
        insert=lambda _rows: _insert(by, built),
        one=lambda row: observation_create(by=by, **row),
    )


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    by: User,
    data: dict[str, Any] | None = None,
    values: Mapping[str, ValueInput] | None = None,
) -> Observation:
    """Correct a draft or returned observation: its place, period, note or figures.

    A submitted or validated observation is refused: it changes only through its workflow.
    """
    require(by, Verb.CHANGE, observation)
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    if not locked.is_editable:
        raise ValidationError(_("Only draft or returned observations can be changed."))
    before = _audited(locked)
    locked, changed = model_update(instance=locked, data=data or {}, fields=OBSERVATION_FIELDS)
    if changed:
        _require_aligned(locked.indicator, locked.period_start, locked.period_end)
    if values is not None:
        _store_values(locked, _clean_values(locked.indicator, values))
        locked.save(update_fields=["updated_at"])
    audit_update(by=by, instance=locked, before=before, after=_audited(locked))
    return locked


@transaction.atomic
def observation_update_values(
    *, observation: Observation, by: User, values: Mapping[str, ValueInput]
) -> Observation:
    """Replace the figures of a draft or returned observation."""
    return observation_update(observation=observation, by=by, values=values)


def _transition(
    *,
    observation: Observation,
    by: User,
    verb: Verb,
    sources: tuple[str, ...],
    target: str,
    comment: str = "",
    **changes: object,
) -> Observation:
    """Move the observation from one of `sources` to `target` if, and only if, it is there."""
    require(by, verb, observation)
    before = _audited(observation)
    claimed = Observation.objects.filter(pk=observation.pk, state__in=sources).update(
        state=target, updated_at=timezone.now(), **changes
    )
    fresh = Observation.objects.get(pk=observation.pk)
    if claimed != 1:
        if fresh.state == target:
            return fresh  # already done (a retry): nothing changes
        raise ValidationError(
            _("This observation is %(state)s.") % {"state": fresh.get_state_display().lower()}
        )
    ObservationTransition.objects.create(
        observation=fresh,
        from_state=observation.state,
        to_state=target,
        by=by,
        comment=comment,
        values_snapshot=_snapshot(fresh),
    )
    audit_update(
        by=by,
        instance=fresh,
        before=before,
        after=_audited(fresh),
        action=AuditAction(verb.value),
        reason=comment,
    )
    if observation.state in COUNTED or target in COUNTED:
        rollups_changed(rollup_ranges(fresh))
    return fresh


@transaction.atomic
def observation_submit(*, observation: Observation, by: User) -> Observation:
    """Submit a draft or returned observation for validation."""
    return _transition(
        observation=observation,
        by=by,
        verb=Verb.SUBMIT,
        target=ObservationState.SUBMITTED,
        sources=(ObservationState.DRAFT, ObservationState.RETURNED),
        submitted_at=timezone.now(),
    )


@transaction.atomic
def observation_validate(*, observation: Observation, by: User) -> Observation:
    """Validate a submitted observation: its figures now count in official rollups."""
    return _transition(
        observation=observation,
        by=by,
        verb=Verb.VALIDATE,
        target=ObservationState.VALIDATED,
        sources=(ObservationState.SUBMITTED,),
        validated_by=by,
        validated_at=timezone.now(),
    )


@transaction.atomic
def observation_return(*, observation: Observation, by: User, reason: str) -> Observation:
    """Return a submitted observation to whoever logged it, saying what to correct."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what needs correcting.")})
    return _transition(
        observation=observation,
        by=by,
        verb=Verb.RETURN,
        target=ObservationState.RETURNED,
        comment=reason,
        sources=(ObservationState.SUBMITTED,),
    )


@transaction.atomic
def observation_reopen(*, observation: Observation, by: User, reason: str) -> Observation:
    """Reopen a validated observation for correction; its history keeps the validated values."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the validated figures must change.")})
    return _transition(
        observation=observation,
        by=by,
        verb=Verb.REOPEN,
        target=ObservationState.RETURNED,
        comment=reason,
        sources=(ObservationState.VALIDATED,),
        validated_by=None,
        validated_at=None,
    )


@transaction.atomic
def observation_delete(*, observation: Observation, by: User) -> None:
    """Delete an observation that is not validated."""
    require(by, Verb.DELETE, observation)
    audit_delete(by=by, instance=observation, before=_audited(observation))
    deleted, _rows = (
        Observation.objects.filter(pk=observation.pk)
        .exclude(state=ObservationState.VALIDATED)
        .delete()
    )
    if not deleted and Observation.objects.filter(pk=observation.pk).exists():
        raise ValidationError(_("A validated observation must be reopened before it is deleted."))
    if observation.state in REPORTED:
        rollups_changed(rollup_ranges(observation))
