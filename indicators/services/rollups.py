"""Tell the rollup engine what changed: every write service calls these, and only on commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from core.services import delete_record, update_record
from missions.models import Mission

from ..choices import Derivation
from ..models import Indicator, IndicatorTarget
from ..rollups.ranges import ALL_AREAS, WHOLE_MISSION, BucketRange, merge
from ..tasks import enqueue_kept

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

# Every refresh is kept in the database, then enqueued robustly (`tasks.enqueue_kept`): the
# write has committed, so a refresh that cannot be enqueued or, without a broker, fails
# in-process is logged, never the caller's error, and the sweep does it from the database.

# The attribute of a database connection that holds its transaction's pending changes.
_PENDING = "_rollups_pending"


class _Pending:
    """What one transaction has changed so far: enqueued as one refresh when it commits.

    Its `flush` is the on-commit callback, registered once, on the first change of the
    transaction: however many records a transaction writes, it enqueues one refresh task (and
    one rebuild per mission whose rebuild it asked for), and it looks up the indicators of each
    kind of record once.
    """

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        # Until the callback is registered, the transaction is known by its list of commit
        # hooks: Django replaces that list when a transaction commits or rolls back.
        self.hooks = connection.run_on_commit
        self.registered = False
        self.ranges: set[BucketRange] = set()
        self.rebuilds: set[int] = set()
        self.indicator_ids: dict[frozenset[str], list[int]] = {}

    def is_current(self) -> bool:
        """Tell whether this still belongs to the connection's current transaction.

        A rolled-back transaction, or a rolled-back savepoint in which the callback was
        registered, drops the callback from `run_on_commit`: the changes made in it are
        discarded with it, and the next change starts afresh. Changes made in a savepoint that
        rolls back after the callback was registered stay, and are refreshed for nothing: an
        extra refresh recomputes the same figures, so it is harmless.
        """
        if not self.connection.in_atomic_block:
            return False
        if not self.registered:
            return self.hooks is self.connection.run_on_commit
        # entries are (savepoint ids, callback, robust)
        return any(entry[1] == self.flush for entry in self.connection.run_on_commit)

    def add(self, *, ranges: Iterable[BucketRange] = (), rebuild: int | None = None) -> None:
        """Add buckets to refresh, or a mission to rebuild, on commit."""
        self.ranges.update(ranges)
        if rebuild is not None:
            self.rebuilds.add(rebuild)
        if not self.registered and (self.ranges or self.rebuilds):
            self.registered = True
            transaction.on_commit(self.flush, using=self.connection.alias, robust=True)

    def flush(self) -> None:
        """Enqueue the transaction's rebuilds, and one refresh of the buckets they leave."""
        # Changes made after this (a test running its callbacks early) start a new task.
        if getattr(self.connection, _PENDING, None) is self:
            delattr(self.connection, _PENDING)
        # A mission's rebuild recomputes every one of its buckets after this commit.
        stale = [r for r in self.ranges if r.mission_id not in self.rebuilds]
        enqueue_kept(rebuilds=self.rebuilds, bucket_keys=[r.to_key() for r in merge(stale)])


def _pending() -> _Pending | None:
    """The changes of the connection's current transaction; None outside a transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    pending: _Pending | None = getattr(connection, _PENDING, None)
    if pending is None or not pending.is_current():
        pending = _Pending(connection)
        setattr(connection, _PENDING, pending)
    return pending


def rollups_changed(ranges: Iterable[BucketRange]) -> None:
    """Refresh these buckets once the current transaction commits (at once outside one).

    Every change of a transaction joins one refresh task, enqueued on commit.
    """
    pending = _pending()
    if pending is not None:
        pending.add(ranges=ranges)
        return
    keys = [r.to_key() for r in merge(ranges)]
    if keys:
        transaction.on_commit(partial(enqueue_kept, bucket_keys=keys), robust=True)


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
    the alert standard, the area hierarchy).

    The rebuild replaces the refreshes of that mission's buckets in the same transaction.
    """
    pending = _pending()
    if pending is not None:
        pending.add(rebuild=mission_id)
        return
    transaction.on_commit(partial(enqueue_kept, rebuilds=[mission_id]), robust=True)


def _indicator_ids(derivations: Iterable[str]) -> list[int]:
    """The derived indicators of these derivations, looked up once per transaction.

    An indicator created, or given one of these derivations, later in the same transaction is
    not refreshed by it; the scheduled rebuild counts it.
    """
    wanted = frozenset(derivations)
    pending = _pending()
    if pending is not None and wanted in pending.indicator_ids:
        return pending.indicator_ids[wanted]
    ids = list(
        Indicator.objects.filter(derivation__in=sorted(wanted))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if pending is not None:
        pending.indicator_ids[wanted] = ids
    return ids


def record_ranges(
    *,
    derivations: Iterable[str],
    mission_id: int,
    area_id: int | None,
    start: datetime.date,
    end: datetime.date | None = None,
) -> list[BucketRange]:
    """The buckets of the derived indicators a record at `area_id` on `start`..`end` feeds."""
    ids = _indicator_ids(derivations)
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
    """Buckets of state-at-period-end indicators (threats, commitments) from `since` to the
    mission's today, in every area."""
    mission = Mission.objects.only("time_zone").filter(pk=mission_id).first()
    today = mission.local_date() if mission is not None else timezone.now().date()
    ids = _indicator_ids(derivations)
    return [BucketRange(pk, mission_id, ALL_AREAS, min(since, today), today) for pk in ids]
