"""Track how a mission implements the A4P commitments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.services import create_record, delete_record, editable_fields, update_record
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import (
    COMMITMENT_DERIVATIONS,
    delete_refreshing,
    rollups_changed,
    stock_ranges,
    update_refreshing,
)

from .models import CommitmentAction, CommitmentImplementation, KeyElement

if TYPE_CHECKING:
    from accounts.models import User
    from missions.models import Mission

IMPLEMENTATION_FIELDS = [
    "status",
    "summary",
    "responsible_component",
    "due_on",
    "evidence",
    "last_reviewed_on",
]
COMMITMENT_ACTION_FIELDS = editable_fields(CommitmentAction, exclude={"implementation"})


def _counted_from(implementation: CommitmentImplementation) -> datetime.date:
    """The first day its status counts in the figures: its last review, or the mission's local
    day it was created on."""
    if implementation.last_reviewed_on is not None:
        return implementation.last_reviewed_on
    return implementation.mission.local_date(implementation.created_at)


def rollup_ranges(implementation: CommitmentImplementation) -> list[BucketRange]:
    """The element-status buckets an implementation counts in, from when it counts."""
    return stock_ranges(
        derivations=COMMITMENT_DERIVATIONS,
        mission_id=implementation.mission_id,
        since=_counted_from(implementation),
    )


@transaction.atomic
def implementation_create(
    *, by: User, mission: Mission, key_element: KeyElement, **fields: Any
) -> CommitmentImplementation:
    """Start tracking how a mission implements an A4P key element."""
    implementation = CommitmentImplementation(mission=mission, key_element=key_element, **fields)
    if implementation.last_reviewed_on is not None:
        implementation.reviewed_by = by
    create_record(by=by, instance=implementation)
    rollups_changed(rollup_ranges(implementation))
    return implementation


@transaction.atomic
def implementation_update(
    *, implementation: CommitmentImplementation, by: User, data: dict[str, Any]
) -> CommitmentImplementation:
    """Update where a mission stands on an A4P element; a new review date records the reviewer."""
    data = {name: value for name, value in data.items() if name in IMPLEMENTATION_FIELDS}
    reviewed_on = data.get("last_reviewed_on", implementation.last_reviewed_on)
    if reviewed_on != implementation.last_reviewed_on:
        data["reviewed_by"] = by
    fields = [*IMPLEMENTATION_FIELDS, "reviewed_by"]
    return update_refreshing(implementation, by=by, data=data, fields=fields, ranges=rollup_ranges)


@transaction.atomic
def implementation_delete(*, implementation: CommitmentImplementation, by: User) -> None:
    """Stop tracking an element in a mission, with its actions."""
    delete_refreshing(implementation, by=by, ranges=rollup_ranges)


@transaction.atomic
def commitment_action_create(
    *, by: User, implementation: CommitmentImplementation, **fields: Any
) -> CommitmentAction:
    """Plan an action towards a mission's implementation of an A4P element."""
    return create_record(by=by, instance=CommitmentAction(implementation=implementation, **fields))


@transaction.atomic
def commitment_action_update(
    *, action: CommitmentAction, by: User, data: dict[str, Any]
) -> CommitmentAction:
    """Change an action: its description, component, status or dates."""
    action, _changed = update_record(
        by=by, instance=action, data=data, fields=COMMITMENT_ACTION_FIELDS
    )
    return action


@transaction.atomic
def commitment_action_delete(*, action: CommitmentAction, by: User) -> None:
    """Drop an action from a mission's implementation."""
    delete_record(by=by, instance=action)
