from collections.abc import Iterator

import pytest

from poc_tracker.celery import app


@pytest.fixture
def eager_celery_off() -> Iterator[None]:
    """Send tasks to the broker, as in production, instead of running them in-process."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous
