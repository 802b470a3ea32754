"""Celery tasks that keep rollups fresh: thin, id-driven and idempotent."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from celery import Task, shared_task
from django.db import DatabaseError

from missions.models import Mission

from .rollups import (
    BucketRange,
    missions_due_a_new_day,
    rollup_rebuild,
    rollup_refresh,
    rollup_roll_day,
)

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
def refresh_rollups_task(bucket_keys: list[str]) -> int:
    """Recompute the rollup buckets that changed records touch."""
    written = rollup_refresh(ranges=[BucketRange.from_key(key) for key in bucket_keys])
    logger.info("refreshed %d rollup rows from %d bucket ranges", written, len(bucket_keys))
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
def rebuild_rollups_task(mission_id: int | None = None) -> int:
    """Rebuild the rollups of one mission, or of every mission (the nightly reconciliation).

    Every mission at once fills a fresh table and swaps it in, which leaves no dead rows
    behind, where one rebuild per mission would delete and insert the whole table again.
    """
    if mission_id is None:
        return rollup_rebuild()
    mission = Mission.objects.filter(pk=mission_id).first()
    if mission is None:
        return 0  # deleted since: its rollups went with it
    written = rollup_rebuild(mission=mission)
    logger.info("rebuilt %d rollup rows for %s", written, mission)
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
