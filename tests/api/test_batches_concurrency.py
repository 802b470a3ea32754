"""Two retries of one batch at the same moment, from two connections: created once.

On PostgreSQL only: each thread has its own connection and transaction, as two web workers
would. The threads meet at a barrier, then send; whichever inserts the key's row first does
the work, and the other waits for its commit and replays its answer (or, arriving after it,
replays it at once). Either way the outcome is the same, so nothing depends on timing.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from api.idempotency import REPLAYED
from audit.choices import AuditAction
from audit.models import AuditEntry
from indicators.models import Observation
from missions.models import Mission
from tests.factories.indicators import IndicatorFactory

from .test_batches import observation_rows

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]


def test_two_retries_at_the_same_moment_create_the_batch_once(
    joc_officer: User, mission_a: Mission
) -> None:
    # given a batch, and two copies of it about to be sent with the same key
    rows = observation_rows(IndicatorFactory(), mission_a, 20)
    barrier = threading.Barrier(2, timeout=30)
    answers: list[Any] = [None, None]
    failures: list[BaseException] = []

    def send(slot: int) -> None:
        try:
            client = APIClient()
            client.force_authenticate(joc_officer)
            barrier.wait()
            answers[slot] = client.post(
                "/api/v1/observations/bulk/", rows, format="json", HTTP_IDEMPOTENCY_KEY="once"
            )
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connection.close()  # this thread's connection, so the database can be flushed

    # when both are sent at once
    threads = [threading.Thread(target=send, args=(slot,)) for slot in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never answered"
    assert not failures, failures
    # then both get the same answer, one of them replayed, and the batch exists once
    assert [answer.status_code for answer in answers] == [201, 201], [a.content for a in answers]
    assert answers[0].json() == answers[1].json()
    assert sorted(REPLAYED in answer for answer in answers) == [False, True]
    assert Observation.objects.count() == 20
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 20
