"""Batches: many observations, incidents or alerts in one request, all created or none.

`POST /api/v1/<records>/bulk/` validates every row, names each refused row by its index and
field, creates through the bulk services (an audit entry per record, one rollup refresh per
batch), and with an `Idempotency-Key` answers a retry with the first answer.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from celery.signals import task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from alerts.models import Alert
from api.idempotency import HEADER, REPLAYED
from api.models import IdempotencyRecord
from audit.choices import AuditAction
from audit.models import AuditEntry
from core.batches import INSERT_ROWS, MAX_BATCH
from incidents.models import Incident
from indicators.models import Indicator, Observation, ObservationValue
from missions.models import Area, Mission
from tests.factories.indicators import IndicatorFactory, ObservationFactory
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db

REFRESH = "indicators.tasks.refresh_rollups_task"


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def observation_rows(
    indicator: Indicator, mission: Mission, n: int, *, first_year: int = 2026
) -> list[dict[str, Any]]:
    """`n` monthly figures of one indicator, one a month from January of `first_year`."""
    rows = []
    for i in range(n):
        year, month = first_year - i // 12, i % 12 + 1
        end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        rows.append(
            {
                "indicator": indicator.pk,
                "mission": mission.pk,
                "period_start": f"{year}-{month:02d}-01",
                "period_end": end.isoformat(),
                "client_id": str(uuid.uuid4()),
                "values": [{"disaggregation": "total", "value": str(i + 1)}],
            }
        )
    return rows


def _incident(mission: Mission, area: Area, **fields: Any) -> dict[str, Any]:
    return {
        "mission": mission.pk,
        "area": area.pk,
        "occurred_on": "2026-03-10",
        "incident_type": "killing_maiming",
        "perpetrator_category": "non_state_armed_group",
        "source_type": "un_patrol",
        "killed_women": 1,
        **fields,
    }


def _alert(mission: Mission, area: Area, **fields: Any) -> dict[str, Any]:
    return {
        "mission": mission.pk,
        "area": area.pk,
        "source": "community_alert_network",
        "severity": "high",
        "summary": "Armed men seen near the school",
        "received_at": "2026-03-10T08:00:00Z",
        **fields,
    }


def _attrs(response: Any) -> set[str]:
    return {error["attr"] for error in response.json()["errors"]}


@pytest.fixture
def refreshes() -> Iterator[list[Any]]:
    """The rollup refresh tasks run (in-process in tests: a task runs when enqueued)."""
    ran: list[Any] = []

    def record(task: Any, args: tuple[Any, ...], **extra: Any) -> None:
        if task.name == REFRESH:
            ran.append(args)

    task_prerun.connect(record, weak=False)
    yield ran
    task_prerun.disconnect(record)


def test_observation_batch_creates_each_record_with_its_figures_and_audit_entry(
    joc_officer: User, mission_a: Mission, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given three monthly figures, each with the device's own id
    rows = observation_rows(IndicatorFactory(), mission_a, 3)
    # when the JOC officer sends them at once
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(joc_officer).post("/api/v1/observations/bulk/", rows, format="json")
    # then each is created, as a draft logged by the officer, answered in the order sent
    assert response.status_code == 201, response.content
    body = response.json()
    assert [row["client_id"] for row in body] == [row["client_id"] for row in rows]
    created = Observation.objects.in_bulk([row["id"] for row in body])
    assert {o.logged_by_id for o in created.values()} == {joc_officer.pk}
    assert sorted(
        ObservationValue.objects.filter(observation__in=created).values_list("value", flat=True)
    ) == [1, 2, 3]
    # and each has its own entry on the audit trail, with its figures
    entries = AuditEntry.objects.filter(action=AuditAction.CREATE, object_id__in=list(created))
    assert entries.count() == 3
    first = entries.get(object_id=body[0]["id"])
    assert first.changes["values"] == [None, {"total": {"value": "1.0000", **NO_RATIO}}]
    assert first.changes["client_id"] == [None, rows[0]["client_id"]]


NO_RATIO = {"numerator": None, "denominator": None}


def test_a_batch_larger_than_one_insert_keeps_every_figure_with_its_record(
    joc_officer: User, mission_a: Mission
) -> None:
    # given more rows than one INSERT statement takes: 7 indicators, 143 months each
    per_indicator = -(-(INSERT_ROWS + 1) // 7)
    rows = [
        row
        for _ in range(7)
        for row in observation_rows(IndicatorFactory(), mission_a, per_indicator)
    ]
    assert len(rows) > INSERT_ROWS
    # when they are sent at once
    response = _client(joc_officer).post("/api/v1/observations/bulk/", rows, format="json")
    # then every row is a record with its own figure and its own audit entry
    assert response.status_code == 201, response.content
    ids = [row["id"] for row in response.json()]
    figures = dict(
        ObservationValue.objects.filter(observation__in=ids).values_list("observation", "value")
    )
    assert [int(figures[pk]) for pk in ids] == [int(row["values"][0]["value"]) for row in rows]
    entries = AuditEntry.objects.filter(action=AuditAction.CREATE, object_id__in=ids)
    assert entries.count() == len(rows)


def test_batch_names_every_refused_row_by_index_and_field(
    joc_officer: User, mission_a: Mission
) -> None:
    # given a batch with a good row and four refused for different reasons
    indicator = IndicatorFactory()
    stored = ObservationFactory(indicator=indicator, mission=mission_a, client_id=uuid.uuid4())
    rows = observation_rows(indicator, mission_a, 5, first_year=2025)
    rows[1]["period_end"] = "2025-02-10"  # not a whole month
    rows[2]["client_id"] = rows[0]["client_id"]  # twice in the batch
    rows[3]["client_id"] = str(stored.client_id)  # already stored in the mission
    rows[4]["values"] = [{"disaggregation": "women", "value": "1"}]  # not a sex-age indicator
    # when it is sent
    response = _client(joc_officer).post("/api/v1/observations/bulk/", rows, format="json")
    # then the answer names each refused row and its field, and nothing is created
    assert response.status_code == 400, response.content
    assert _attrs(response) == {"1.period_start", "2.client_id", "3.client_id", "4.values"}
    assert Observation.objects.count() == 1


def test_batch_repeating_a_stored_place_and_period_is_refused(
    joc_officer: User, mission_a: Mission
) -> None:
    indicator = IndicatorFactory()
    rows = observation_rows(indicator, mission_a, 2)
    ObservationFactory(indicator=indicator, mission=mission_a, period_start="2026-02-01",
                       period_end="2026-02-28")  # fmt: skip
    response = _client(joc_officer).post("/api/v1/observations/bulk/", rows, format="json")
    assert response.status_code == 400, response.content
    assert _attrs(response) == {"1.period_start"}


def test_batch_the_database_refuses_is_checked_row_by_row(
    joc_officer: User, mission_a: Mission
) -> None:
    # given incidents, one placed off the globe: a check only the database makes
    area = LocalityFactory(mission=mission_a)
    rows = [_incident(mission_a, area), _incident(mission_a, area, latitude="95.0")]
    # when they are sent
    response = _client(joc_officer).post("/api/v1/incidents/bulk/", rows, format="json")
    # then the rows created one by one name the refused one, and none is kept
    assert response.status_code == 400, response.content
    assert {attr.split(".")[0] for attr in _attrs(response)} == {"1"}
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_batch_of_more_than_the_cap_is_refused(joc_officer: User) -> None:
    response = _client(joc_officer).post(
        "/api/v1/observations/bulk/", [{}] * (MAX_BATCH + 1), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "max_length"


def test_empty_batch_or_no_list_is_refused(joc_officer: User) -> None:
    client = _client(joc_officer)
    assert client.post("/api/v1/alerts/bulk/", [], format="json").status_code == 400
    assert client.post("/api/v1/alerts/bulk/", {"a": 1}, format="json").status_code == 400


def test_batch_into_another_mission_names_the_row(
    outsider: User, leadership: User, mission_a: Mission
) -> None:
    rows = observation_rows(IndicatorFactory(), mission_a, 2)
    # another mission's staff cannot see the mission: "does not exist", row by row
    response = _client(outsider).post("/api/v1/observations/bulk/", rows, format="json")
    assert response.status_code == 400, response.content
    assert _attrs(response) == {"0.mission", "1.mission"}, response.json()
    # leadership sees it but logs nothing: 403
    response = _client(leadership).post("/api/v1/observations/bulk/", rows, format="json")
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_incident_batch_refreshes_the_rollups_once(
    joc_officer: User,
    mission_a: Mission,
    refreshes: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given incidents in three areas on three days
    areas = [LocalityFactory(mission=mission_a) for _ in range(3)]
    rows = [_incident(mission_a, a, occurred_on=f"2026-03-1{i}") for i, a in enumerate(areas)]
    # when they are sent as one batch
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(joc_officer).post("/api/v1/incidents/bulk/", rows, format="json")
    # then they are created, restricted where their nature says, and refreshed in one task
    assert response.status_code == 201, response.content
    assert Incident.objects.count() == 3
    assert len(refreshes) == 1


def test_alert_batch_refreshes_the_rollups_once(
    joc_officer: User,
    mission_a: Mission,
    refreshes: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    area = LocalityFactory(mission=mission_a)
    rows = [_alert(mission_a, area, received_at=f"2026-03-1{i}T08:00:00Z") for i in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(joc_officer).post("/api/v1/alerts/bulk/", rows, format="json")
    assert response.status_code == 201, response.content
    assert list(Alert.objects.order_by("received_at").values_list("received_on", flat=True)) == [
        datetime.date(2026, 3, 10 + i) for i in range(4)
    ]
    assert len(refreshes) == 1


def test_sensitive_incident_in_a_batch_is_restricted(joc_officer: User, mission_a: Mission) -> None:
    area = LocalityFactory(mission=mission_a)
    rows = [_incident(mission_a, area, incident_type="sexual_violence", sv_women=1)]
    response = _client(joc_officer).post("/api/v1/incidents/bulk/", rows, format="json")
    assert response.status_code == 201, response.content
    assert Incident.objects.get().is_restricted


def test_client_id_twice_in_a_mission_is_a_field_error(
    joc_officer: User, mission_a: Mission
) -> None:
    # given an alert logged with its device's id
    area = LocalityFactory(mission=mission_a)
    row = _alert(mission_a, area, client_id=str(uuid.uuid4()))
    client = _client(joc_officer)
    assert client.post("/api/v1/alerts/", row, format="json").status_code == 201
    # when the device sends it again, alone or in a batch
    again = client.post("/api/v1/alerts/", row, format="json")
    batch = client.post("/api/v1/alerts/bulk/", [row], format="json")
    # then both are refused on the client id, not with a server error
    assert again.status_code == 400
    assert _attrs(again) == {"client_id"}
    assert batch.status_code == 400
    assert _attrs(batch) == {"0.client_id"}
    assert Alert.objects.count() == 1


def test_same_client_id_in_two_missions_is_allowed(
    administrator: User, mission_a: Mission, mission_b: Mission
) -> None:
    same = str(uuid.uuid4())
    rows = [_alert(m, LocalityFactory(mission=m), client_id=same) for m in (mission_a, mission_b)]
    response = _client(administrator).post("/api/v1/alerts/bulk/", rows, format="json")
    assert response.status_code == 201, response.content


# --- Idempotency-Key ------------------------------------------------------------------------


def test_retry_with_the_same_key_gets_the_first_answer_and_creates_nothing(
    joc_officer: User, mission_a: Mission
) -> None:
    # given a batch sent with a key
    rows = observation_rows(IndicatorFactory(), mission_a, 3)
    client = _client(joc_officer)
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = client.post("/api/v1/observations/bulk/", rows, format="json", **key)
    assert first.status_code == 201, first.content
    assert REPLAYED not in first
    # when the device, unsure it was received, sends it again with the same key
    retry = client.post("/api/v1/observations/bulk/", rows, format="json", **key)
    # then it gets the first answer, and nothing more is created
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry[REPLAYED] == "true"
    assert Observation.objects.count() == 3


def test_same_key_with_another_batch_is_422(joc_officer: User, mission_a: Mission) -> None:
    rows = observation_rows(IndicatorFactory(), mission_a, 2)
    client = _client(joc_officer)
    key = {"HTTP_IDEMPOTENCY_KEY": "batch-2026-03"}
    assert client.post("/api/v1/observations/bulk/", rows, format="json", **key).status_code == 201
    other = client.post("/api/v1/observations/bulk/", rows[:1], format="json", **key)
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"
    elsewhere = client.post("/api/v1/alerts/bulk/", rows, format="json", **key)
    assert elsewhere.status_code == 422
    assert Observation.objects.count() == 2


def test_a_refused_batch_is_replayed_too(joc_officer: User, mission_a: Mission) -> None:
    rows = observation_rows(IndicatorFactory(), mission_a, 2)
    rows[1]["period_end"] = "2026-02-10"
    client = _client(joc_officer)
    key = {"HTTP_IDEMPOTENCY_KEY": "march"}
    first = client.post("/api/v1/observations/bulk/", rows, format="json", **key)
    retry = client.post("/api/v1/observations/bulk/", rows, format="json", **key)
    assert first.status_code == retry.status_code == 400
    assert retry.json() == first.json()
    assert retry[REPLAYED] == "true"


def test_keys_are_each_users_own(
    joc_officer: User, section_staff: User, mission_a: Mission
) -> None:
    rows = observation_rows(IndicatorFactory(), mission_a, 2)
    key = {"HTTP_IDEMPOTENCY_KEY": "same"}
    for user, row in ((joc_officer, rows[0]), (section_staff, rows[1])):
        response = _client(user).post("/api/v1/observations/bulk/", [row], format="json", **key)
        assert response.status_code == 201, response.content
        assert REPLAYED not in response
    assert Observation.objects.count() == 2


def test_a_refusal_for_who_asks_is_not_kept(leadership: User, mission_a: Mission) -> None:
    rows = observation_rows(IndicatorFactory(), mission_a, 1)
    key = {"HTTP_IDEMPOTENCY_KEY": "k"}
    client = _client(leadership)
    assert client.post("/api/v1/observations/bulk/", rows, format="json", **key).status_code == 403
    assert not IdempotencyRecord.objects.exists()


def test_keys_expire_after_a_day(joc_officer: User, mission_a: Mission) -> None:
    # given a batch sent with a key
    first, other = observation_rows(IndicatorFactory(), mission_a, 2)
    client = _client(joc_officer)
    key = {"HTTP_IDEMPOTENCY_KEY": "monthly"}
    with time_machine.travel(datetime.datetime(2026, 4, 1, 8, tzinfo=datetime.UTC)):
        sent = client.post("/api/v1/observations/bulk/", [first], format="json", **key)
        assert sent.status_code == 201
    # when the next request with a key comes more than a day later
    with time_machine.travel(datetime.datetime(2026, 4, 2, 9, tzinfo=datetime.UTC)):
        response = client.post("/api/v1/observations/bulk/", [other], format="json", **key)
    # then the old key was forgotten: the key is new again
    assert response.status_code == 201, response.content
    assert REPLAYED not in response
    assert IdempotencyRecord.objects.count() == 1


def test_a_key_too_long_is_refused(joc_officer: User, mission_a: Mission) -> None:
    rows = observation_rows(IndicatorFactory(), mission_a, 1)
    response = _client(joc_officer).post(
        "/api/v1/observations/bulk/", rows, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256
    )
    assert response.status_code == 400
    assert _attrs(response) == {HEADER}


# --- Queries --------------------------------------------------------------------------------


def _batch_queries(client: APIClient, rows: list[dict[str, Any]]) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/v1/observations/bulk/", rows, format="json")
    assert response.status_code == 201, response.content
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


def test_batch_queries_do_not_grow_with_its_rows(joc_officer: User, mission_a: Mission) -> None:
    # given a batch of 10 observations, then one of 100 (of another indicator)
    client = _client(joc_officer)
    ten, _sql = _batch_queries(client, observation_rows(IndicatorFactory(), mission_a, 10))
    hundred, sql = _batch_queries(client, observation_rows(IndicatorFactory(), mission_a, 100))
    # then the queries are the same few: the caller's memberships; the indicators, missions
    # and areas the rows link to (one scoped query each); the policy, once for the mission;
    # the client ids and the places and periods already stored (one query each); a savepoint;
    # the INSERTs of the observations, their figures and their audit entries. SQLite takes
    # at most 999 parameters a statement, so its INSERTs of 100 rows come in a few pieces
    # (`bulk_batch_size`); PostgreSQL's in one.
    pieces = 0 if connection.vendor == "postgresql" else 3
    assert ten <= hundred <= ten + pieces, sql


def test_one_observation_takes_a_client_id_too(joc_officer: User, mission_a: Mission) -> None:
    row = observation_rows(IndicatorFactory(), mission_a, 1)[0]
    client = _client(joc_officer)
    created = client.post("/api/v1/observations/", row, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["client_id"] == row["client_id"]
    row["period_start"], row["period_end"] = "2026-02-01", "2026-02-28"
    again = client.post("/api/v1/observations/", row, format="json")
    assert again.status_code == 400
    assert _attrs(again) == {"client_id"}
