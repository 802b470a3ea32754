"""A real Celery worker on the broker and the PostgreSQL test database, for the tests of tasks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection

from poc_tracker.celery import app

REDIS = "/usr/bin/redis-server"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker() -> Iterator[subprocess.Popen]:
    """A Celery worker process against the broker and the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    app.control.purge()
    # the test database, and the test run's uploaded files
    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "poc_tracker",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(60):  # ready within a few seconds
            if app.control.ping(timeout=0.5):
                break
            assert process.poll() is None, process.stdout.read()
        else:
            pytest.fail("the Celery worker did not answer")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def eager_celery_off() -> Iterator[None]:
    """Send tasks to the broker, as in production, instead of running them in-process."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def free_port() -> int:
    """A TCP port nothing listens on, on loopback, for a server of the test's own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A Redis of the test's own, on a free port, keeping nothing on disk (as on this
    machine's own): stopping it loses whatever it held."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail("the test's Redis did not start")

    def stop(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def queued(self) -> int:
        with Connection(self.url) as connection:
            return int(connection.default_channel.client.llen("celery"))


@contextmanager
def redis_of_its_own() -> Iterator[RedisServer]:
    """A Redis server of the test's own, started, and stopped afterwards unless the test
    stopped it; the test is skipped where redis-server is not installed."""
    if not os.path.exists(REDIS):
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        if server.running:
            server.stop()
