"""One refresh per transaction: however many records a transaction writes, it enqueues one
refresh task on commit, and it looks up the indicators those records feed once."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery.signals import task_prerun
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from incidents.choices import SourceType, VerificationStatus
from incidents.models import Incident
from incidents.services import incident_create, rollup_ranges
from indicators.models import Rollup
from indicators.rollups import rollup_rebuild
from indicators.rollups.calendar import calendar_ensure
from indicators.rollups.ranges import ALL_AREAS, merge
from indicators.services.rollups import INCIDENT_DERIVATIONS, record_ranges, rollups_changed
from missions.models import Area, Mission
from missions.services import area_move, mission_update_settings
from tests.factories.missions import AorFactory, LocalityFactory
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

MARCH_10 = datetime.date(2026, 3, 10)
REFRESH = "indicators.tasks.refresh_rollups_task"
REBUILD = "indicators.tasks.rebuild_rollups_task"

# What one incident_create costs (incidents/services.py), the same on SQLite and PostgreSQL:
#    2  SAVEPOINT and RELEASE of the service's own @transaction.atomic
#    1  the policy: may the user log incidents in this mission
#    3  full_clean: the mission, the area and the reporter exist
#    3  its check constraints, all in one SELECT, in a savepoint (core.services.validate)
#    3  its unique constraint (one event imported once), a SELECT in a savepoint
#    1  INSERT of the incident
#    1  the audit trail's snapshot: its grave violations (none)
#    1  INSERT of its audit entry
# and none for its rollups: its buckets join the transaction's pending refresh.
PER_WRITE = 15
# Once per transaction: its SAVEPOINT and RELEASE (the test case's transaction wraps it) and the
# one lookup of the indicators incidents feed.
PER_TRANSACTION = 3
# The one refresh on commit, with the calendar already there: the missions' time zones (their
# today), its span, the indicators and the area; a savepoint (a transaction in production)
# holding, on PostgreSQL, the mission lock and two settings of the transaction, and for each of
# the 8 incident indicators a DELETE, an INSERT and two UPDATEs of previous values, and as its
# buckets include running periods, three UPDATEs of their previous values over the same span of
# the periods before, then the mission's stamp (when its figures changed, one upsert). Around
# it, the INSERT that keeps the work until done, and the task's transaction (a savepoint and
# its release here) claiming it and the other work waiting (two SELECTs) and deleting it once
# done (indicators.tasks). It rewrites the same buckets for 1 incident as for 50.
REFRESH_QUERIES = {
    "sqlite": 1 + 2 + 2 + 4 + 2 + 8 * 7 + 1 + 1,
    "postgresql": 1 + 2 + 2 + 4 + 2 + 3 + 8 * 7 + 1 + 1,
}


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


@pytest.fixture
def enqueued() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The rollup tasks run, in order, with their arguments (tasks run in-process in tests,
    so a task runs when it is enqueued)."""
    sent: list[tuple[str, tuple[Any, ...]]] = []

    def record(task: Any, args: tuple[Any, ...], **extra: Any) -> None:
        if task.name in (REFRESH, REBUILD):
            sent.append((task.name, tuple(args)))

    task_prerun.connect(record, weak=False)
    yield sent
    task_prerun.disconnect(record)


def _log(by: User, mission: Mission, area: Area, **fields: Any) -> Incident:
    values = {
        "occurred_on": MARCH_10,
        "incident_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.NON_STATE_ARMED_GROUP,
        "source_type": SourceType.UN_PATROL,
        "verification_status": VerificationStatus.VERIFIED,
        "killed_women": 1,
        **fields,
    }
    return incident_create(by=by, mission=mission, area=area, **values)


def _keys(*incidents: Incident) -> list[str]:
    return [r.to_key() for r in merge([r for i in incidents for r in rollup_ranges(i)])]


def _figures(mission: Mission) -> list[tuple[Any, ...]]:
    """Every rollup row of the mission, without its id and time of computation."""
    names = [f.attname for f in Rollup._meta.concrete_fields if f.name not in ("id", "computed_at")]
    return sorted(Rollup.objects.filter(mission=mission).values_list(*names), key=repr)


def _sql(queries: CaptureQueriesContext) -> str:
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_incident_create_fifty_in_one_transaction_enqueue_one_refresh(
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    enqueued: list,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    other = LocalityFactory(mission=mission_a)
    # given fifty incidents logged in one transaction, over two localities and two months
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        logged = [
            _log(
                joc_officer,
                mission_a,
                (locality, other)[n % 2],
                occurred_on=MARCH_10 + datetime.timedelta(days=n),
                killed_men=n,
            )
            for n in range(50)
        ]

    # then one callback waits for the commit, and nothing ran before it
    assert len(callbacks) == 1
    assert enqueued == []
    assert not Rollup.objects.filter(mission=mission_a).exists()

    # when the transaction commits
    callbacks[0]()

    # then one refresh ran, over one range per indicator and locality
    assert enqueued == [(REFRESH, (_keys(*logged),))]
    assert len(enqueued[0][1][0]) == 2 * len(INCIDENT_DERIVATIONS)
    # and its figures are those a rebuild from scratch gives
    refreshed = _figures(mission_a)
    assert refreshed
    rollup_rebuild(mission=mission_a)
    assert refreshed == _figures(mission_a)


@pytest.mark.parametrize("writes", [1, 50])
def test_incident_create_queries_do_not_grow_with_the_transaction(
    writes: int,
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    calendar_ensure(start=MARCH_10, end=timezone.now().date())
    # when several incidents are logged in one transaction
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
            for _ in range(writes):
                _log(joc_officer, mission_a, locality)

    # then each costs the same few queries, none of them for its rollups …
    assert len(queries) == PER_TRANSACTION + writes * PER_WRITE, _sql(queries)
    lookups = [q for q in queries.captured_queries if "indicators_indicator" in q["sql"]]
    assert len(lookups) == 1, _sql(queries)

    # … and their one refresh on commit costs the same for one incident as for fifty
    with CaptureQueriesContext(connection) as refresh:
        for callback in callbacks:
            callback()
    assert len(refresh) == REFRESH_QUERIES[connection.vendor], _sql(refresh)
    total = len(queries) + len(refresh)
    assert total == PER_TRANSACTION + REFRESH_QUERIES[connection.vendor] + writes * PER_WRITE


def test_rollups_changed_five_thousand_records_enqueue_one_small_refresh(
    mission_a: Mission, enqueued: list, django_capture_on_commit_callbacks: Callable
) -> None:
    aor = AorFactory(mission=mission_a)
    localities = [LocalityFactory(mission=mission_a, parent=aor).pk for _ in range(40)]
    # given the buckets of 5,000 records in 40 localities over a year, in one transaction
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
            for n in range(5000):
                rollups_changed(
                    record_ranges(
                        derivations=INCIDENT_DERIVATIONS,
                        mission_id=mission_a.pk,
                        area_id=localities[n % 40] if n % 7 else None,
                        start=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 365),
                    )
                )

    # then the indicators were looked up once, and one callback waits for the commit
    assert len(queries) == PER_TRANSACTION, _sql(queries)
    assert len(callbacks) == 1

    callbacks[0]()

    # and one refresh runs, over every area of each indicator: 8 keys, not 5,000 × 8
    assert [name for name, _ in enqueued] == [REFRESH]
    keys = enqueued[0][1][0]
    assert len(keys) == len(INCIDENT_DERIVATIONS)
    assert all(f":{mission_a.pk}:{ALL_AREAS}:2026-01-01:2026-12-31" in key for key in keys)
    assert len(json.dumps(keys)) < 1000


def test_incident_create_five_hundred_in_one_transaction_enqueue_one_refresh(
    joc_officer: User,
    mission_a: Mission,
    enqueued: list,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    aor = AorFactory(mission=mission_a)
    localities = [LocalityFactory(mission=mission_a, parent=aor) for _ in range(25)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(500):
            _log(
                joc_officer,
                mission_a,
                localities[n % 25],
                occurred_on=MARCH_10 + datetime.timedelta(days=n % 90),
            )

    assert len(callbacks) == 1
    assert [name for name, _ in enqueued] == [REFRESH]
    refreshed = _figures(mission_a)
    rollup_rebuild(mission=mission_a)
    assert refreshed == _figures(mission_a)


def test_incident_create_in_a_rolled_back_savepoint_leaves_later_writes_refreshed(
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    enqueued: list,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    other = LocalityFactory(mission=mission_a)
    # given a transaction whose first incident is rolled back with its savepoint
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            _log(joc_officer, mission_a, other, occurred_on=datetime.date(2025, 6, 1))
            1 / 0  # noqa: B018
        # when it goes on to log another
        kept = _log(joc_officer, mission_a, locality)

    # then that one's buckets are refreshed on commit, and only those
    assert len(callbacks) == 1
    assert enqueued == [(REFRESH, (_keys(kept),))]


def test_incident_create_before_a_rolled_back_savepoint_is_still_refreshed(
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    enqueued: list,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        kept = _log(joc_officer, mission_a, locality)
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            _log(joc_officer, mission_a, LocalityFactory(mission=mission_a))
            1 / 0  # noqa: B018

    # the rolled-back incident's buckets may be refreshed too: harmless, it is not there
    assert len(callbacks) == 1
    [(name, (keys,))] = enqueued
    assert name == REFRESH
    assert set(_keys(kept)) <= set(keys)


def test_mission_rollups_changed_replaces_the_missions_refreshes_with_one_rebuild(
    administrator: User,
    mission_a: Mission,
    mission_b: Mission,
    locality: Area,
    enqueued: list,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    elsewhere = LocalityFactory(mission=mission_b)
    # given one transaction that logs incidents in two missions, changes the settings of one
    # and moves one of its areas
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        _log(administrator, mission_a, locality)
        mission_update_settings(
            mission=mission_a, by=administrator, data={"alert_response_standard_hours": 12}
        )
        area_move(area=locality, parent=AorFactory(mission=mission_a), by=administrator)
        _log(administrator, mission_a, locality, occurred_on=datetime.date(2026, 5, 2))
        other = _log(administrator, mission_b, elsewhere)

    assert len(callbacks) == 1
    callbacks[0]()

    # then the first mission is rebuilt once, and only the second's buckets are refreshed
    assert enqueued == [(REBUILD, (mission_a.pk,)), (REFRESH, (_keys(other),))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_incident_create_rolled_back_enqueues_nothing_and_leaves_nothing(
    joc_officer: User, mission_a: Mission, locality: Area, enqueued: list
) -> None:
    # given a transaction that logs incidents, then fails
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _log(joc_officer, mission_a, LocalityFactory(mission=mission_a))
        _log(joc_officer, mission_a, locality, occurred_on=datetime.date(2025, 1, 5))
        1 / 0  # noqa: B018
    assert enqueued == []

    # when the next transaction logs one
    with transaction.atomic():
        kept = _log(joc_officer, mission_a, locality)
        assert enqueued == []

    # then its commit refreshes its buckets alone
    assert enqueued == [(REFRESH, (_keys(kept),))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_incident_create_outside_a_transaction_refreshes_at_once(
    joc_officer: User, mission_a: Mission, locality: Area, enqueued: list
) -> None:
    # each write is its own transaction: its refresh runs when it returns
    first = _log(joc_officer, mission_a, locality)
    assert enqueued == [(REFRESH, (_keys(first),))]
    second = _log(joc_officer, mission_a, locality, occurred_on=datetime.date(2026, 4, 1))
    assert enqueued == [(REFRESH, (_keys(first),)), (REFRESH, (_keys(second),))]

    # and so does a change reported with no transaction open
    rollups_changed(rollup_ranges(first))
    assert len(enqueued) == 3
    refreshed = _figures(mission_a)
    rollup_rebuild(mission=mission_a)
    assert refreshed == _figures(mission_a)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_ranges_looks_the_indicators_up_once_per_transaction(mission_a: Mission) -> None:
    def lookups(queries: CaptureQueriesContext) -> int:
        return sum("indicators_indicator" in q["sql"] for q in queries.captured_queries)

    def ranges() -> None:
        record_ranges(
            derivations=INCIDENT_DERIVATIONS, mission_id=mission_a.pk, area_id=None, start=MARCH_10
        )

    # once in a transaction, however many records it reads them for …
    with CaptureQueriesContext(connection) as first, transaction.atomic():
        ranges()
        ranges()
    assert lookups(first) == 1
    # … again in the next one, which may see other indicators …
    with CaptureQueriesContext(connection) as second, transaction.atomic():
        ranges()
    assert lookups(second) == 1
    # … and every time outside a transaction
    with CaptureQueriesContext(connection) as outside:
        ranges()
        ranges()
    assert lookups(outside) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_that_fails_is_not_the_writers_error(
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    monkeypatch: pytest.MonkeyPatch,
    caplog: Any,
) -> None:
    # given a refresh that fails, as when the broker is down
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("indicators.tasks.refresh_rollups_task.delay", broken)

    # when an incident is logged and committed
    incident = _log(joc_officer, mission_a, locality)

    # then it is saved, the failure is logged, and a rebuild counts it
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert "broker unreachable" in caplog.text
    rollup_rebuild(mission=mission_a)
    assert Rollup.objects.filter(mission=mission_a, indicator__derivation="incidents").exists()
