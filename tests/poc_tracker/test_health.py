"""`/health/` answers for the database, the cache and the storage (and, with a broker, the
broker and the workers); log records carry the request id the response names."""

import json
import logging

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import Client, RequestFactory

from poc_tracker.health import health_checks, health_view

pytestmark = pytest.mark.django_db


def test_health_answers_for_each_service_without_signing_in(settings) -> None:
    # the embedded default: no broker, so no worker to ask
    settings.CELERY_BROKER_URL = ""
    request = RequestFactory().get("/health/", {"format": "json"})

    response = async_to_sync(health_view())(request)

    assert response.status_code == 200, response.content
    assert {name.split("(")[0] for name in json.loads(response.content)} == {
        "Database", "Cache", "Storage",
    }  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs a broker: set CELERY_BROKER_URL")
def test_health_asks_the_broker_and_a_real_worker(worker) -> None:
    response = Client().get("/health/", {"format": "json"})

    assert response.status_code == 200, response.content
    answers = {name.split("(")[0]: state for name, state in response.json().items()}
    assert answers == dict.fromkeys(["Database", "Cache", "Storage", "Redis", "Ping"], "OK")


def test_with_a_broker_the_broker_and_the_workers_are_checked(settings) -> None:  # noqa: F811
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"

    names = [check if isinstance(check, str) else check[0] for check in health_checks()]

    assert "health_check.contrib.redis.Redis" in names
    assert "health_check.contrib.celery.Ping" in names


def test_json_log_records_carry_the_request_id(caplog, monkeypatch) -> None:
    from pythonjsonlogger.json import JsonFormatter

    from audit.logging import RequestIdFilter

    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    lines = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = Client().get("/api/v1/nowhere/")
    finally:
        logger.removeHandler(handler)

    assert response.status_code == 404
    records = [json.loads(line) for line in lines]
    assert records and records[-1]["request_id"] == response["X-Request-ID"]
