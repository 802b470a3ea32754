"""Tell the rollup engine what changed: every write service calls these, and only on commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from core.services import delete_record, update_record

from ..choices import Derivation
from ..models import Indicator, IndicatorTarget
from ..rollups.ranges import ALL_AREAS, WHOLE_MISSION, BucketRange
from ..tasks import rebuild_rollups_task, refresh_rollups_task

if TYPE_CHECKING:
    from accounts.models import User

# The derived indicators each kind of record feeds.
INCIDENT_DERIVATIONS = (
    Derivation.CIVILIANS_KILLED,
    Derivation.CIVILIANS_INJURED,
    Derivation.CIVILIANS_ABDUCTED,
    Derivation.SV_SURVIVORS,
    Derivation.INCIDENTS,
    Derivation.INCIDENTS_HOST_STATE,
    Derivation.GRAVE_VIOLATIONS,
    Derivation.PEOPLE_DISPLACED,
)
ALERT_DERIVATIONS = (
    Derivation.ALERTS_RECEIVED,
    Derivation.ALERTS_WITHIN_STANDARD,
    Derivation.ALERT_MEDIAN_RESPONSE,
)
ACTIVITY_DERIVATIONS = (Derivation.ACTIVITIES, Derivation.PEOPLE_REACHED)
THREAT_DERIVATIONS = (Derivation.HIGH_RISK_THREATS,)
COMMITMENT_DERIVATIONS = (Derivation.A4P_ELEMENTS_ON_TRACK,)


def rollups_changed(ranges: Iterable[BucketRange]) -> None:
    """Refresh these buckets once the current transaction commits (at once outside one)."""
    keys = sorted({r.to_key() for r in ranges})
    if keys:
        transaction.on_commit(partial(refresh_rollups_task.delay, keys))


Record = TypeVar("Record", bound=models.Model)


def update_refreshing(
    instance: Record,
    *,
    by: User,
    data: dict[str, Any],
    fields: list[str],
    ranges: Callable[[Record], list[BucketRange]],
) -> Record:
    """Apply `data` to a record (`core.services.update_record`) and, if anything changed,
    refresh the buckets of the record as it was and as it now is."""
    before = ranges(instance)
    instance, changed = update_record(by=by, instance=instance, data=data, fields=fields)
    if changed:
        rollups_changed([*before, *ranges(instance)])
    return instance


def delete_refreshing(
    instance: Record, *, by: User, ranges: Callable[[Record], list[BucketRange]]
) -> None:
    """Delete a record (`core.services.delete_record`) and take it out of its buckets."""
    stale = ranges(instance)
    delete_record(by=by, instance=instance)
    rollups_changed(stale)


def mission_rollups_changed(*, mission_id: int) -> None:
    """Rebuild a mission's rollups on commit: for changes that move every figure (risk bands,
    the alert standard, the area hierarchy)."""
    transaction.on_commit(partial(rebuild_rollups_task.delay, mission_id))


def record_ranges(
    *,
    derivations: Iterable[str],
    mission_id: int,
    area_id: int | None,
    start: datetime.date,
    end: datetime.date | None = None,
) -> list[BucketRange]:
    """The buckets of the derived indicators a record at `area_id` on `start`..`end` feeds."""
    ids = Indicator.objects.filter(derivation__in=list(derivations)).values_list("pk", flat=True)
    area: int | str = WHOLE_MISSION if area_id is None else area_id
    return [BucketRange(pk, mission_id, area, start, end or start) for pk in ids]


def target_ranges(target: IndicatorTarget) -> list[BucketRange]:
    """Every bucket a mission's target or baseline applies to."""
    return [
        BucketRange(
            target.indicator_id,
            target.mission_id,
            ALL_AREAS,
            target.period_start,
            target.period_end,
        )
    ]


def stock_ranges(
    *, derivations: Iterable[str], mission_id: int, since: datetime.date
) -> list[BucketRange]:
    """Buckets of state-at-period-end indicators (threats, commitments) from `since` to today,
    in every area."""
    today = timezone.now().date()
    ids = Indicator.objects.filter(derivation__in=list(derivations)).values_list("pk", flat=True)
    return [BucketRange(pk, mission_id, ALL_AREAS, min(since, today), today) for pk in ids]
