"""Celery tasks that keep rollups fresh: thin, id-driven and idempotent."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from celery import Task, shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone

from missions.models import Mission

from .models import PendingRollupWork
from .rollups import (
    BucketRange,
    missions_due_a_new_day,
    rollup_rebuild,
    rollup_refresh,
    rollup_roll_day,
)
from .rollups.ranges import merge

if TYPE_CHECKING:
    from billiard.einfo import ExceptionInfo

logger = logging.getLogger(__name__)


class RollupTask(Task[Any, Any]):
    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        # Nothing is lost: the scheduled rebuild recomputes every bucket from the records.
        logger.error(
            "rollup task %s gave up after retries (%s); the next scheduled rebuild will reconcile",
            task_id,
            exc,
        )


@shared_task(
    base=RollupTask,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def refresh_rollups_task(bucket_keys: list[str], pending_id: int | None = None) -> int:
    """Recompute the rollup buckets that changed records touch.

    With its kept work (`pending_id`), it takes along the other refreshes waiting in the
    database, up to CLAIM_BATCH, and does them all in one refresh: under a burst of writes the
    refreshes of one mission, which its lock runs one at a time, would otherwise pile up. The
    tasks of the work it took find their rows gone and do nothing. Delivered twice, or after a
    later refresh of the same buckets, it computes the same figures again from the records as
    they are: nothing changes.
    """
    if pending_id is None:
        written = rollup_refresh(ranges=[BucketRange.from_key(key) for key in bucket_keys])
        logger.info("refreshed %d rollup rows from %d bucket ranges", written, len(bucket_keys))
        return written
    with transaction.atomic():
        claimed = _claim_refreshes(pending_id)
        if not claimed:
            return 0  # done, or being done, by the task that took it along
        keys = [key for row in claimed for key in row.bucket_keys]
        written = rollup_refresh(ranges=[BucketRange.from_key(key) for key in keys])
        PendingRollupWork.objects.filter(pk__in=[row.pk for row in claimed]).delete()
    logger.info(
        "refreshed %d rollup rows from %d bucket ranges of %d changes",
        written,
        len(keys),
        len(claimed),
    )
    return written


@shared_task(
    base=RollupTask,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=3600,
    time_limit=3900,
)
def rebuild_rollups_task(mission_id: int | None = None, pending_id: int | None = None) -> int:
    """Rebuild the rollups of one mission, or of every mission (the nightly reconciliation).

    Every mission at once fills a fresh table and swaps it in, which leaves no dead rows
    behind, where one rebuild per mission would delete and insert the whole table again.
    """
    if mission_id is None:
        return rollup_rebuild()
    mission = Mission.objects.filter(pk=mission_id).first()
    if mission is None:
        return 0  # deleted since: its rollups went with it, and its pending work
    written = rollup_rebuild(mission=mission)
    logger.info("rebuilt %d rollup rows for %s", written, mission)
    _done(pending_id)
    return written


@shared_task(base=RollupTask, acks_late=True, autoretry_for=(DatabaseError,), max_retries=3)
def roll_figures_day_task(mission_id: int | None = None) -> int:
    """Date running figures on each mission's new local day, soon after its midnight.

    Without a mission (the beat, every quarter of an hour), enqueue one roll per mission
    whose day has turned; a roll that fails leaves the day unturned for the next beat.
    """
    if mission_id is None:
        due = missions_due_a_new_day()
        for pk in due:
            roll_figures_day_task.delay(pk)
        return 0
    mission = Mission.objects.filter(pk=mission_id).first()
    if mission is None:
        return 0
    written = rollup_roll_day(mission=mission)
    logger.info("dated the running figures of %s on its new day: %d rows", mission, written)
    return written


# --- Work kept in the database until done ------------------------------------------------------
# A change's rollup work is written to PendingRollupWork when the change commits, then sent to
# the broker; the task deletes its row once done. The sweep does what is left after SWEEP_AFTER:
# work the broker refused (down) or lost (restarted empty), or whose worker died.
SWEEP_AFTER = datetime.timedelta(minutes=2)
SWEEP_BATCH = 500


def enqueue_kept(*, rebuilds: Iterable[int] = (), bucket_keys: list[str] | None = None) -> None:
    """Keep the rebuilds of these missions and the refresh of these buckets, then enqueue them.

    A broker that refuses the task is logged, never the caller's error: the change has
    committed, and its work waits in the database for the sweep.
    """
    rows = [PendingRollupWork(rebuild_mission_id=pk) for pk in sorted(set(rebuilds))]
    if bucket_keys:
        rows.append(PendingRollupWork(bucket_keys=bucket_keys))
    for row in PendingRollupWork.objects.bulk_create(rows):
        try:
            if row.rebuild_mission_id is not None:
                rebuild_rollups_task.delay(row.rebuild_mission_id, pending_id=row.pk)
            else:
                refresh_rollups_task.delay(row.bucket_keys, pending_id=row.pk)
        except Exception as error:  # the broker's errors are its transport's own classes
            logger.warning("rollup work %s kept for the sweep: not enqueued (%s)", row.pk, error)


# how many waiting refreshes one refresh task takes along
CLAIM_BATCH = 200


def _claim_refreshes(pending_id: int) -> list[PendingRollupWork]:
    """Lock the task's own kept refresh and the other refreshes waiting, oldest first; none if
    its own is gone (done) or locked by another task (being done). Work another task holds is
    skipped, not waited for (PostgreSQL; SQLite's one writer at a time needs no lock)."""
    waiting = (
        PendingRollupWork.objects.select_for_update(skip_locked=True)
        .filter(rebuild_mission__isnull=True)
        .order_by("pk")
    )
    own = list(waiting.filter(pk=pending_id))
    if not own:
        return []
    return own + list(waiting.exclude(pk=pending_id)[: CLAIM_BATCH - 1])


def _done(pending_id: int | None) -> None:
    if pending_id is not None:
        PendingRollupWork.objects.filter(pk=pending_id).delete()


@shared_task(base=RollupTask, acks_late=True, autoretry_for=(DatabaseError,), max_retries=3)
def sweep_rollup_work_task() -> int:
    """Do the kept rollup work older than SWEEP_AFTER, from the database (every minute, beat).

    The refreshes left are merged into one; each mission left to rebuild is rebuilt once.
    Work that is also still on its way is done twice, which changes nothing.
    """
    rows = list(
        PendingRollupWork.objects.filter(created_at__lt=timezone.now() - SWEEP_AFTER).order_by(
            "pk"
        )[:SWEEP_BATCH]
    )
    if not rows:
        return 0
    rebuilt = {row.rebuild_mission_id for row in rows if row.rebuild_mission_id is not None}
    for mission_id in sorted(rebuilt):
        rebuild_rollups_task(mission_id)
    ranges = [
        BucketRange.from_key(key)
        for row in rows
        if row.rebuild_mission_id is None
        for key in row.bucket_keys
    ]
    stale = [r for r in merge(ranges) if r.mission_id not in rebuilt]
    if stale:
        rollup_refresh(ranges=stale)
    PendingRollupWork.objects.filter(pk__in=[row.pk for row in rows]).delete()
    logger.info("swept %d pieces of rollup work left undone", len(rows))
    return len(rows)
