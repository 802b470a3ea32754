"""Faults of the rollup pipeline: a broker that stops (and comes back empty), and refresh
tasks delivered twice or out of order. Nothing a committed change asked for is lost, and no
delivery changes the figures away from what a rebuild from the records gives."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from kombu import pools

from accounts.models import User
from incidents.choices import SourceType, VerificationStatus
from incidents.models import Incident
from incidents.services import incident_create, incident_update, rollup_ranges
from indicators.models import PendingRollupWork
from indicators.rollups import rollup_rebuild
from indicators.rollups.calendar import calendar_ensure
from indicators.rollups.ranges import merge
from indicators.tasks import SWEEP_AFTER, refresh_rollups_task, sweep_rollup_work_task
from missions.models import Area, Mission
from poc_tracker.celery import app
from tests.factories.missions import LocalityFactory
from tests.figures import stored_rollups
from tests.workers import RedisServer, redis_of_its_own
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

MARCH_10 = datetime.date(2026, 3, 10)


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    calendar_ensure(start=MARCH_10, end=timezone.now().date())
    return LocalityFactory(mission=mission_a)


def _log(by: User, area: Area, killed: int = 1) -> Incident:
    return incident_create(
        by=by,
        mission=area.mission,
        area=area,
        occurred_on=MARCH_10,
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.NON_STATE_ARMED_GROUP,
        source_type=SourceType.UN_PATROL,
        verification_status=VerificationStatus.VERIFIED,
        killed_women=killed,
    )


def _rebuilt() -> list[tuple[Any, ...]]:
    """The figures a rebuild from the records gives (the rebuild stays in place)."""
    rollup_rebuild()
    return stored_rollups()


@pytest.fixture
def broker() -> Iterator[RedisServer]:
    """The app's tasks go to a Redis of the test's own, which nothing consumes."""
    with redis_of_its_own() as server:
        names = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")
        previous = {name: app.conf[name] for name in names}
        app.conf.update(
            broker_url=server.url, broker_write_url=server.url, broker_read_url=server.url
        )
        app.conf.task_always_eager = False
        _forget_connections()
        yield server
        app.conf.update(previous)
        _forget_connections()


def _forget_connections() -> None:
    # the app and kombu keep their broker connections once made: new ones for the new address
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_changes_made_while_the_broker_is_down_are_refreshed_from_the_database(
    broker: RedisServer,
    joc_officer: User,
    locality: Area,
    django_capture_on_commit_callbacks: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given changes whose refreshes reached the broker, which then stopped and lost them
    with django_capture_on_commit_callbacks(execute=True):
        _log(joc_officer, locality, killed=2)
    assert broker.queued() == 1
    broker.stop()

    # when more changes are made while it is down
    with caplog.at_level(logging.WARNING, logger="indicators.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            _log(joc_officer, locality, killed=3)

    # then they are stored all the same, and their work is kept in the database
    assert Incident.objects.filter(mission=locality.mission).count() == 2
    assert "kept for the sweep" in caplog.text
    assert PendingRollupWork.objects.count() == 2
    assert stored_rollups() == []  # nothing refreshed yet: no worker ever ran

    # when the broker comes back empty and the sweep runs once the work is overdue
    broker.start()
    assert broker.queued() == 0
    with time_machine.travel(timezone.now() + SWEEP_AFTER + datetime.timedelta(seconds=1)):
        assert sweep_rollup_work_task() == 2

    # then the figures are those of a rebuild from the records, and nothing is left to do
    swept = stored_rollups()
    assert swept and swept == _rebuilt()
    assert not PendingRollupWork.objects.exists()


def test_the_sweep_leaves_work_that_may_still_be_on_its_way(
    broker: RedisServer,
    joc_officer: User,
    locality: Area,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _log(joc_officer, locality)

    assert sweep_rollup_work_task() == 0
    assert PendingRollupWork.objects.count() == 1


def test_duplicate_and_out_of_order_refreshes_change_nothing(
    joc_officer: User, locality: Area, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given an incident logged, then changed: two refreshes, each done on commit
    with django_capture_on_commit_callbacks(execute=True):
        incident = _log(joc_officer, locality, killed=1)
    first = [r.to_key() for r in merge(rollup_ranges(incident))]
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_update(incident=incident, by=joc_officer, data={"killed_women": 4})
    second = [r.to_key() for r in merge(rollup_ranges(incident))]
    settled = stored_rollups()
    assert settled == _rebuilt()

    # when the second is delivered again, and the first arrives late, twice
    refresh_rollups_task(second)
    refresh_rollups_task(first)
    refresh_rollups_task(first)

    # then the figures are still those of the records as they are
    assert stored_rollups() == settled
    assert not PendingRollupWork.objects.exists()


def test_a_refresh_takes_along_the_refreshes_waiting_and_their_tasks_do_nothing(
    joc_officer: User, locality: Area, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given a burst of three incidents whose refreshes all wait in the database, their tasks
    # not run yet (kept as their commits keep them)
    with django_capture_on_commit_callbacks(execute=False):
        incidents = [_log(joc_officer, locality, killed=n) for n in (1, 2, 3)]
    kept = [
        PendingRollupWork.objects.create(
            bucket_keys=[r.to_key() for r in merge(rollup_ranges(incident))]
        )
        for incident in incidents
    ]
    assert stored_rollups() == []

    # when the first task runs
    first, *others = kept
    written = refresh_rollups_task(first.bucket_keys, pending_id=first.pk)

    # then it did the three changes' work in one refresh, and nothing is left waiting
    assert written > 0
    assert not PendingRollupWork.objects.exists()
    figures = stored_rollups()
    assert figures == _rebuilt()
    # and the others' tasks, delivered afterwards, find their work done and write nothing
    for row in others:
        assert refresh_rollups_task(row.bucket_keys, pending_id=row.pk) == 0
    assert stored_rollups() == figures
    assert sum(i.killed_women for i in incidents) == 6
