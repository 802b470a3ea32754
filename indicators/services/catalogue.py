"""The indicator catalogue and each mission's baselines and targets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.services import create_record, delete_record, editable_fields, update_record
from missions.models import Mission

from ..models import Indicator, IndicatorTarget
from .rollups import (
    delete_refreshing,
    mission_rollups_changed,
    rollups_changed,
    target_ranges,
    update_refreshing,
)

if TYPE_CHECKING:
    from accounts.models import User

INDICATOR_FIELDS = editable_fields(Indicator)
TARGET_FIELDS = editable_fields(IndicatorTarget, exclude={"indicator", "mission"})


def _every_mission_changed() -> None:
    # how an indicator is defined moves its figures in every mission
    for mission_id in Mission.objects.order_by("pk").values_list("pk", flat=True):
        mission_rollups_changed(mission_id=mission_id)


@transaction.atomic
def indicator_create(*, by: User, **fields: Any) -> Indicator:
    """Add an indicator to the catalogue; a derived one gets figures at the next rebuild."""
    indicator = create_record(by=by, instance=Indicator(**fields))
    if indicator.derivation:
        _every_mission_changed()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, by: User, data: dict[str, Any]) -> Indicator:
    """Correct an indicator's definition, and recompute every mission's figures of it."""
    indicator, changed = update_record(
        by=by, instance=indicator, data=data, fields=INDICATOR_FIELDS
    )
    if changed:
        _every_mission_changed()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: User) -> None:
    """Remove an indicator nobody has logged; its rollups go with it."""
    delete_record(by=by, instance=indicator)


@transaction.atomic
def target_create(
    *, by: User, indicator: Indicator, mission: Mission, **fields: Any
) -> IndicatorTarget:
    """Set a mission's baseline and target of an indicator for a period."""
    target = IndicatorTarget(indicator=indicator, mission=mission, **fields)
    create_record(by=by, instance=target)
    rollups_changed(target_ranges(target))
    return target


@transaction.atomic
def target_update(*, target: IndicatorTarget, by: User, data: dict[str, Any]) -> IndicatorTarget:
    """Change a baseline, a target or the period they cover, and the statuses they give."""
    return update_refreshing(target, by=by, data=data, fields=TARGET_FIELDS, ranges=target_ranges)


@transaction.atomic
def target_delete(*, target: IndicatorTarget, by: User) -> None:
    """Remove a target; the figures of its period lose their status."""
    delete_refreshing(target, by=by, ranges=target_ranges)
