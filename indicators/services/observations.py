"""Observations: log, submit, validate, return and reopen hand-logged indicator values.

Every state change is a conditional update (two validators cannot both win, a retried request
changes nothing), leaves a transition with the values at that moment, and refreshes the
rollups the observation feeds once the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.choices import SexAge
from missions.models import Area, Mission
from missions.permissions import Action

from ..choices import CombinationMethod, DataSource, Disaggregation, Frequency, ObservationState
from ..models import Indicator, Observation, ObservationTransition, ObservationValue
from ..rollups.ranges import WHOLE_MISSION, BucketRange
from .rollups import rollups_changed

ValueInput = Mapping[str, Decimal | int | float | str | None]
GROUPS = (SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS, SexAge.UNKNOWN)
COUNTED = (ObservationState.SUBMITTED, ObservationState.VALIDATED)


def _require(user: User, mission: Mission | int, action: Action) -> None:
    mission_id = mission if isinstance(mission, int) else mission.pk
    if not Mission.objects.for_user(user, action).filter(pk=mission_id).exists():
        raise PermissionDenied(_("You may not do this in this mission."))


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


def _clean_values(indicator: Indicator, values: Mapping[str, ValueInput]) -> list[dict]:
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


def _snapshot(observation: Observation) -> dict:
    return {
        v.disaggregation: {
            "value": None if v.value is None else str(v.value),
            "numerator": None if v.numerator is None else str(v.numerator),
            "denominator": None if v.denominator is None else str(v.denominator),
        }
        for v in observation.values.all()
    }


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


def _store_values(observation: Observation, rows: list[dict]) -> None:
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
) -> Observation:
    """Log a draft value of a hand-logged indicator for a mission or area and a period."""
    _require(by, mission, Action.LOG)
    if indicator.source != DataSource.MANUAL:
        raise ValidationError(_("This indicator is derived from records; it is not logged."))
    if area is not None and area.mission_id != mission.pk:
        raise ValidationError({"area": _("This area belongs to another mission.")})
    if not _period_is_aligned(indicator.frequency, period_start, period_end):
        raise ValidationError(
            {
                "period_start": _("The period must be one whole %(frequency)s period.")
                % {"frequency": indicator.get_frequency_display().lower()}
            }
        )
    observation = Observation(
        indicator=indicator,
        mission=mission,
        area=area,
        period_start=period_start,
        period_end=period_end,
        note=note,
        logged_by=by,
    )
    observation.full_clean()
    observation.save()
    _store_values(observation, _clean_values(indicator, values))
    return observation


@transaction.atomic
def observation_update_values(
    *, observation: Observation, by: User, values: Mapping[str, ValueInput]
) -> Observation:
    """Replace the figures of a draft or returned observation."""
    _require(by, observation.mission_id, Action.LOG)
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    if locked.state not in (ObservationState.DRAFT, ObservationState.RETURNED):
        raise ValidationError(_("Only draft or returned observations can be changed."))
    _store_values(locked, _clean_values(locked.indicator, values))
    locked.save(update_fields=["updated_at"])
    return locked


def _transition(
    *,
    observation: Observation,
    by: User,
    sources: tuple[str, ...],
    target: str,
    comment: str = "",
    **changes: object,
) -> Observation:
    """Move the observation from one of `sources` to `target` if, and only if, it is there."""
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
    if observation.state in COUNTED or target in COUNTED:
        rollups_changed(rollup_ranges(fresh))
    return fresh


@transaction.atomic
def observation_submit(*, observation: Observation, by: User) -> Observation:
    """Submit a draft or returned observation for validation."""
    _require(by, observation.mission_id, Action.LOG)
    return _transition(
        observation=observation,
        by=by,
        target=ObservationState.SUBMITTED,
        sources=(ObservationState.DRAFT, ObservationState.RETURNED),
        submitted_at=timezone.now(),
    )


@transaction.atomic
def observation_validate(*, observation: Observation, by: User) -> Observation:
    """Validate a submitted observation: its figures now count in official rollups."""
    _require(by, observation.mission_id, Action.VALIDATE)
    return _transition(
        observation=observation,
        by=by,
        target=ObservationState.VALIDATED,
        sources=(ObservationState.SUBMITTED,),
        validated_by=by,
        validated_at=timezone.now(),
    )


@transaction.atomic
def observation_return(*, observation: Observation, by: User, reason: str) -> Observation:
    """Return a submitted observation to whoever logged it, saying what to correct."""
    _require(by, observation.mission_id, Action.VALIDATE)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what needs correcting.")})
    return _transition(
        observation=observation,
        by=by,
        target=ObservationState.RETURNED,
        comment=reason,
        sources=(ObservationState.SUBMITTED,),
    )


@transaction.atomic
def observation_reopen(*, observation: Observation, by: User, reason: str) -> Observation:
    """Reopen a validated observation for correction; its history keeps the validated values."""
    _require(by, observation.mission_id, Action.VALIDATE)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the validated figures must change.")})
    return _transition(
        observation=observation,
        by=by,
        target=ObservationState.RETURNED,
        comment=reason,
        sources=(ObservationState.VALIDATED,),
        validated_by=None,
        validated_at=None,
    )


@transaction.atomic
def observation_delete(*, observation: Observation, by: User) -> None:
    """Delete an observation that is not validated."""
    _require(by, observation.mission_id, Action.LOG)
    deleted, _rows = (
        Observation.objects.filter(pk=observation.pk)
        .exclude(state=ObservationState.VALIDATED)
        .delete()
    )
    if not deleted and Observation.objects.filter(pk=observation.pk).exists():
        raise ValidationError(_("A validated observation must be reopened before it is deleted."))
    if observation.state in COUNTED:
        rollups_changed(rollup_ranges(observation))
