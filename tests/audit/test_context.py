"""The request id: one per web request or Celery task, shared by the entries it writes."""

import uuid

import pytest
from celery import shared_task
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from audit.context import audit_context, current_request_id
from audit.middleware import RequestIdMiddleware
from audit.models import AuditEntry
from audit.services import audit_create
from missions.models import Mission


@shared_task
def record_mission_task(mission_id: int) -> str:
    """A test-only task: record an entry and report the request id it ran under."""
    audit_create(by=None, instance=Mission.objects.get(pk=mission_id))
    return str(current_request_id())


def echo_request_id(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(current_request_id()))


def test_current_request_id_is_kept_within_a_context() -> None:
    with audit_context() as request_id:
        assert current_request_id() == request_id
        assert current_request_id() == request_id
    with audit_context() as another:
        assert another != request_id


def test_audit_context_restores_the_outer_id() -> None:
    given = uuid.uuid4()

    with audit_context(given):
        with audit_context() as inner:
            assert current_request_id() == inner
        assert current_request_id() == given


def test_request_id_middleware_keeps_a_valid_incoming_id(rf: RequestFactory) -> None:
    incoming = uuid.uuid4()
    request = rf.get("/", headers={"X-Request-ID": str(incoming)})

    response = RequestIdMiddleware(echo_request_id)(request)

    assert response.content.decode() == str(incoming)  # the view ran under it
    assert response["X-Request-ID"] == str(incoming)


@pytest.mark.parametrize("header", ["", "not-a-uuid", "<script>", "1234"])
def test_request_id_middleware_replaces_a_missing_or_invalid_id(
    rf: RequestFactory, header: str
) -> None:
    request = rf.get("/", headers={"X-Request-ID": header} if header else {})

    response = RequestIdMiddleware(echo_request_id)(request)

    made = uuid.UUID(response["X-Request-ID"])
    assert response.content.decode() == str(made)


def test_request_id_middleware_gives_each_request_its_own_id(rf: RequestFactory) -> None:
    middleware = RequestIdMiddleware(echo_request_id)

    first, second = middleware(rf.get("/")), middleware(rf.get("/"))

    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
# whitenoise warns that collectstatic has not run; the test serves no static files
@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_request_id_middleware_is_installed(client: Client) -> None:
    incoming = str(uuid.uuid4())

    # any page will do, even one that does not exist: every response carries the id
    response = client.get("/no-such-page/", headers={"X-Request-ID": incoming})

    assert response.status_code == 404
    assert response["X-Request-ID"] == incoming


@pytest.mark.django_db
def test_celery_task_records_its_task_id_as_request_id(mission_a: Mission) -> None:
    # given a request in progress
    with audit_context() as request_id:
        # when a task runs (in-process, through Celery's own tracer and signals)
        result = record_mission_task.delay(mission_a.pk)

        # then its entry carries the task id, and the request's id is back after it
        assert result.get() == result.id
        assert current_request_id() == request_id
    assert AuditEntry.objects.get().request_id == uuid.UUID(result.id)
