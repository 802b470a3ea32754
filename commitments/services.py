"""Track how a mission implements the A4P commitments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from core.services import model_update
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import COMMITMENT_DERIVATIONS, rollups_changed, stock_ranges
from missions.permissions import Action
from missions.services import require_allowed

from .models import CommitmentImplementation

if TYPE_CHECKING:
    from accounts.models import User

IMPLEMENTATION_FIELDS = [
    "status",
    "summary",
    "responsible_component",
    "due_on",
    "evidence",
    "last_reviewed_on",
]


def _counted_from(implementation: CommitmentImplementation) -> datetime.date:
    """The first day its status counts in the figures: its last review, or its creation."""
    if implementation.last_reviewed_on is not None:
        return implementation.last_reviewed_on
    return implementation.created_at.astimezone(datetime.UTC).date()


@transaction.atomic
def rollup_ranges(implementation: CommitmentImplementation) -> list[BucketRange]:
    """The element-status buckets an implementation counts in, from when it counts."""
    return stock_ranges(
        derivations=COMMITMENT_DERIVATIONS,
        mission_id=implementation.mission_id,
        since=_counted_from(implementation),
    )


def implementation_update(
    *, implementation: CommitmentImplementation, by: User, data: dict[str, Any]
) -> CommitmentImplementation:
    """Update where a mission stands on an A4P element; a new review date records the reviewer."""
    require_allowed(by=by, action=Action.MANAGE_COMMITMENTS, record=implementation)
    data = {name: value for name, value in data.items() if name in IMPLEMENTATION_FIELDS}
    reviewed_on = data.get("last_reviewed_on", implementation.last_reviewed_on)
    if reviewed_on != implementation.last_reviewed_on:
        data["reviewed_by"] = by
    since = _counted_from(implementation)
    implementation, changed = model_update(
        instance=implementation, data=data, fields=[*IMPLEMENTATION_FIELDS, "reviewed_by"]
    )
    if changed:
        since = min(since, _counted_from(implementation))
        rollups_changed(
            stock_ranges(
                derivations=COMMITMENT_DERIVATIONS,
                mission_id=implementation.mission_id,
                since=since,
            )
        )
    return implementation
