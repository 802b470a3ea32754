"""Log, correct and remove protection activities; every change refreshes the figures it moves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.services import create_record, editable_fields
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import (
    ACTIVITY_DERIVATIONS,
    delete_refreshing,
    record_ranges,
    rollups_changed,
    update_refreshing,
)
from missions.models import Area, Mission

from .models import ProtectionActivity

if TYPE_CHECKING:
    from accounts.models import User

ACTIVITY_FIELDS = editable_fields(ProtectionActivity, exclude={"mission", "logged_by"})


def rollup_ranges(activity: ProtectionActivity) -> list[BucketRange]:
    # an activity counts on the day it started
    return record_ranges(
        derivations=ACTIVITY_DERIVATIONS,
        mission_id=activity.mission_id,
        area_id=activity.area_id,
        start=activity.started_on,
    )


@transaction.atomic
def activity_create(*, by: User, mission: Mission, area: Area, **fields: Any) -> ProtectionActivity:
    """Log a protection activity the mission conducted."""
    activity = ProtectionActivity(mission=mission, area=area, logged_by=by, **fields)
    create_record(by=by, instance=activity)
    rollups_changed(rollup_ranges(activity))
    return activity


@transaction.atomic
def activity_update(
    *, activity: ProtectionActivity, by: User, data: dict[str, Any]
) -> ProtectionActivity:
    """Correct an activity, and refresh the figures of where and when it was and now is."""
    return update_refreshing(
        activity, by=by, data=data, fields=ACTIVITY_FIELDS, ranges=rollup_ranges
    )


@transaction.atomic
def activity_delete(*, activity: ProtectionActivity, by: User) -> None:
    """Delete an activity and take it out of the figures."""
    delete_refreshing(activity, by=by, ranges=rollup_ranges)
