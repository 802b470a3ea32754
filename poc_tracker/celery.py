"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

from __future__ import annotations

import logging
import logging.config
import os
from typing import Any

from celery import Celery, current_task
from celery.signals import celeryd_init, setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poc_tracker.settings")

app = Celery("poc_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def log_as_django_does(loglevel: int | str | None = None, **kwargs: Any) -> None:
    """Make the worker and beat log through Django's LOGGING (one JSON object a line with
    LOG_FORMAT=json) instead of handlers and a text format of Celery's own. A receiver of this
    signal is all it takes for Celery to leave logging alone. The command line's --loglevel
    still sets how much Celery itself says."""
    _configure_logging()
    if loglevel:
        logging.getLogger("celery").setLevel(loglevel)


@celeryd_init.connect
def log_start_up_as_django_does(**kwargs: Any) -> None:
    """Log the worker's first warnings (running as root, say) the same way: they come before
    Celery sets logging up."""
    _configure_logging()


def _configure_logging() -> None:
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    logging.captureWarnings(True)


class TaskFilter(logging.Filter):
    """Name on a record the task it is about: the one running, or the one Celery's own lines
    speak of (received, succeeded, failed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Celery hands its lines' context over as `data`, the task's arguments included: the
        # record keeps what the text line says, not the arguments
        data = record.__dict__.pop("data", None)
        if isinstance(data, dict) and "id" in data:
            record.task_id, record.task_name = data["id"], data.get("name", "")
        elif current_task and current_task.request.id is not None:
            record.task_id, record.task_name = current_task.request.id, current_task.name
        return True
