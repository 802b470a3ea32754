"""The web, the worker and beat, started as the Procfile starts them, log one JSON object a line
with LOG_FORMAT=json: their start-up, each request (naming its request id) and the tasks
received and done (naming the task), and what the tasks themselves log."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from celery import Celery
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from audit.logging import RequestIdFilter
from indicators.tasks import refresh_rollups_task
from poc_tracker.celery import TaskFilter
from tests.workers import RedisServer, free_port, redis_of_its_own

# printed by Celery's signal handler straight to stdout, where no logging reaches
WARM_SHUTDOWN = "worker: Warm shutdown (MainProcess)"


class Process:
    """A process of the Procfile, its output (stderr too) gathered line by line."""

    def __init__(self, name: str, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            ["sh", "-c", f"exec {_procfile_command(name)}"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, f"no {text!r} in:\n" + "\n".join(self.lines)
            time.sleep(0.1)

    def stop(self) -> list[str]:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        return [line for line in self.lines if line.strip()]


def _procfile_command(name: str) -> str:
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"the Procfile starts no {name}")


@pytest.fixture
def broker() -> Iterator[RedisServer]:
    with redis_of_its_own() as server:
        yield server


def _records(lines: list[str]) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in lines]
    assert all(isinstance(record, dict) for record in records)
    return records


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "poc_tracker.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "process-logs-test",
        "DEBUG": "false",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        # no request or task here reads the database: none of the test run's is touched
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra,
    }


def test_the_web_logs_json_lines_with_each_requests_id(tmp_path: Path) -> None:
    # given the web of the Procfile, with LOG_FORMAT=json, on a port of its own
    port = free_port()
    env = _environment(
        tmp_path,
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    web = Process("web", env, tmp_path)
    try:
        web.wait_for("Booting worker")
        # when a request is answered (an API 404: no database, no template)
        answer = requests.get(f"http://127.0.0.1:{port}/api/v1/nowhere/", timeout=30)
        web.wait_for("GET /api/v1/nowhere/")
    finally:
        lines = web.stop()

    # then every line is a JSON object, the access line with the response's request id
    assert answer.status_code == 404
    records = _records(lines)
    assert any(r["message"].startswith("Starting gunicorn") for r in records), records
    (access,) = [r for r in records if r["logger"] == "gunicorn.access"]
    assert '"GET /api/v1/nowhere/ HTTP/1.1" 404' in access["message"]
    assert access["request_id"] == answer.headers["X-Request-ID"]
    # and the app's own record of that request carries the same id
    (app,) = [r for r in records if r["logger"] == "django.request"]
    assert app["request_id"] == answer.headers["X-Request-ID"]


def test_the_worker_and_beat_log_json_lines(
    broker: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the worker and beat of the Procfile, with LOG_FORMAT=json
    (tmp_path / "var").mkdir()  # beat's schedule file, outside the checkout
    env = _environment(tmp_path, CELERY_BROKER_URL=broker.url, CELERY_WORKERS="1")
    worker = Process("worker", env, tmp_path)
    beat = Process("beat", env, tmp_path)
    try:
        # when a task is sent, done, and both stop
        monkeypatch.setenv("CELERY_BROKER_URL", broker.url)  # Celery reads it before its own
        task = Celery(broker=broker.url).send_task("celery.accumulate", args=(1,))
        worker.wait_for("succeeded")
        beat.wait_for("beat: Starting")
    finally:
        worker_lines, beat_lines = worker.stop(), beat.stop()

    # then every line is a JSON object, but the one Celery prints on a warm shutdown
    assert worker_lines.count(WARM_SHUTDOWN) == 1, worker_lines
    worker_lines.remove(WARM_SHUTDOWN)
    worker_records, beat_records = _records(worker_lines), _records(beat_lines)
    assert any(r["message"].endswith(" ready.") for r in worker_records), worker_records
    done = [r for r in worker_records if r.get("task_id") == task.id]
    assert [r["message"].split("]")[1].split()[0] for r in done] == ["received", "succeeded"]
    assert {r["task_name"] for r in done} == {"celery.accumulate"}
    assert all(set(r) >= {"time", "level", "logger", "request_id"} for r in worker_records)
    assert any(r["logger"] == "celery.beat" for r in beat_records), beat_records


def test_what_a_task_logs_names_the_task() -> None:
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    handler.addFilter(TaskFilter())
    logger = logging.getLogger("indicators.tasks")
    logger.addHandler(handler)
    try:
        result = refresh_rollups_task.apply(args=([],))  # nothing to refresh: no query
        logger.info("outside any task")
    finally:
        logger.removeHandler(handler)

    inside, outside = (json.loads(line) for line in lines)
    assert inside["task_id"] == result.id
    assert inside["task_name"] == "indicators.tasks.refresh_rollups_task"
    assert "task_id" not in outside
