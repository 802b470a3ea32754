"""A Celery worker killed in the middle of a rebuild of every mission's rollups (PostgreSQL,
a real worker on the broker): readers see the old figures whole while it runs, the kill
leaves them as they were, and the next rebuild gives the figures of a clean one."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import time
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from indicators.models import Rollup, RollupDay, RollupStamp
from indicators.rollups import rollup_rebuild
from indicators.rollups.dialect import ROLLUP_LOCK_SPACE
from indicators.tasks import rebuild_rollups_task
from poc_tracker.celery import app
from tests.figures import stored_rollups
from tests.workers import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="needs a broker: set CELERY_BROKER_URL"
    ),
]

# A rebuild under way in another process's session, its transaction open: it runs an INSERT
# into the rollup table or into the fresh copy being loaded, holds the table against other
# writers (the swap's SHARE lock) or writes into it (ROW EXCLUSIVE), and holds the rollup lock
# of the last mission. A swap takes every mission's lock first; a rebuild mission by mission
# would hold that one only once past the others, where committing them would show.
REBUILDING = r"""
    SELECT a.pid, a.query_start FROM pg_stat_activity a
    WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
      AND a.state = 'active' AND a.query ~ '^\s*INSERT INTO "indicators_rollup'
      AND EXISTS (
          SELECT 1 FROM pg_locks l
          WHERE l.pid = a.pid AND l.granted AND l.relation = 'indicators_rollup'::regclass
            AND l.mode IN ('ShareLock', 'RowExclusiveLock'))
      AND EXISTS (
          SELECT 1 FROM pg_locks l
          WHERE l.pid = a.pid AND l.granted AND l.locktype = 'advisory'
            AND l.classid = %s AND l.objid = (SELECT max(id) FROM missions_mission)
            AND l.objsubid = 2)
"""


@pytest.fixture
def seeded() -> None:
    """Two demo missions, enough for a rebuild of a few seconds (about 57,000 rollup rows)."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    call_command(
        "seed_demo",
        "--quiet",
        "--no-rollups",
        missions=2,
        years=1,
        incidents=600,
        alerts=100,
        activities=100,
        observations=1000,
        localities=6,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _rebuilding() -> tuple[int, datetime.datetime] | None:
    with connection.cursor() as cursor:
        cursor.execute(REBUILDING, [ROLLUP_LOCK_SPACE])
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


def _halfway() -> int:
    """The session of the worker's rebuild, once it has written at least one statement's rows
    inside its transaction and is writing the next."""
    seen: dict[int, set[datetime.datetime]] = {}

    def two_inserts() -> bool:
        found = _rebuilding()
        if found is not None:
            seen.setdefault(found[0], set()).add(found[1])
        return any(len(starts) >= 2 for starts in seen.values())

    deadline = time.monotonic() + 30
    while not two_inserts():
        assert time.monotonic() < deadline, "no rebuild seen writing its rows"
        time.sleep(0.01)  # a rebuild's statements last tens of milliseconds
    return next(pid for pid, starts in seen.items() if len(starts) >= 2)


def _stamp_held() -> Any:
    """A session of the test's own holding the last mission's rollup stamp: a rebuild of
    every mission loads all their rows, then waits there, before it can swap them in, for as
    long as the test needs it under way (however fast the machine)."""
    blocker = psycopg2.connect(**connection.get_connection_params())
    with blocker.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM indicators_rollupstamp"
            " WHERE mission_id = (SELECT max(id) FROM missions_mission) FOR UPDATE"
        )
        assert cursor.fetchone() is not None, "the clean rebuild stamps every mission"
    return blocker


def _waiting_for_stamp(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s"
            " AND wait_event_type = 'Lock' AND query ~ 'indicators_rollupstamp')",
            [pid],
        )
        return bool(cursor.fetchone()[0])


def _session_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", [pid])
        return bool(cursor.fetchone()[0])


def _dated() -> tuple[list[Any], list[Any], Any]:
    """What a committed rebuild changes besides the figures: each mission's stamp and day, and
    the rows' computation time."""
    return (
        sorted(RollupStamp.objects.values_list("mission_id", "changed_at")),
        sorted(RollupDay.objects.values_list("mission_id", "day")),
        max(Rollup.objects.values_list("computed_at", flat=True)),
    )


def _forget_unacknowledged(task_id: str) -> None:
    # The killed task is left unacknowledged on the broker (acks_late); Redis would hand it to
    # another test's worker once its visibility timeout passed.
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        client = channel.client
        for tag, payload in client.hgetall(channel.unacked_key).items():
            if json.loads(payload)[0]["headers"]["id"] == task_id:
                client.zrem(channel.unacked_index_key, tag)
                client.hdel(channel.unacked_key, tag)


def test_a_worker_killed_mid_rebuild_leaves_the_figures_whole(
    seeded: None, worker: subprocess.Popen[str], eager_celery_off: None
) -> None:
    # given the figures of a clean rebuild
    rollup_rebuild()
    clean = stored_rollups()
    dated = _dated()
    assert len(clean) > 50_000

    # when a worker rebuilds every mission, and is halfway through
    blocker = _stamp_held()
    task = rebuild_rollups_task.delay()
    try:
        pid = _halfway()
        assert wait_for(lambda: _waiting_for_stamp(pid)), "the rebuild passed the held stamp"

        # then a reader meanwhile sees the old figures, all of them
        assert stored_rollups() == clean
        assert _rebuilding() is not None, "the rebuild ended before the worker was killed"

        # when the worker is killed (the solo pool runs the task in the worker's own process)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        blocker.close()  # its statement runs on, then finds no one to answer

        # then its session ends once its statement does, and the rebuild left nothing behind
        assert wait_for(lambda: not _session_alive(pid), seconds=30)
    finally:
        blocker.close()
        _forget_unacknowledged(task.id)
    assert stored_rollups() == clean
    assert _dated() == dated
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('indicators_rollup_fresh')")
        assert cursor.fetchone()[0] is None

    # and the next rebuild gives the figures of a clean one
    rollup_rebuild()
    assert stored_rollups() == clean
    assert _dated() != dated
