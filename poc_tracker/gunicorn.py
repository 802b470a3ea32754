"""gunicorn's settings for the Procfile's web process (`--config python:poc_tracker.gunicorn`).

Its own lines, the master's and workers' start-up and the access log, go the way of the app's:
with LOG_FORMAT=json (the default with DEBUG off) one JSON object a line, in the app's
formatter; each access line names the request id the audit trail records for that request.
"""

from __future__ import annotations

import logging
from typing import Any

from poc_tracker import settings

# no control socket: nothing here drives gunicorn through one, and every gunicorn of a
# machine (a test's, the load test's) would share its one default path
control_socket_disable = True
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s bytes %(M)s ms'
# Python's warnings (a missing static folder, a deprecation) as log records, not bare text
logging.captureWarnings(True)


class AccessRequestId(logging.Filter):
    """Give an access line the request id of its response (X-Request-ID), as the app's own
    records of that request carry it."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args if isinstance(record.args, dict) else {}
        record.request_id = atoms.get("{x-request-id}o", "")
        return True


def _logging() -> dict[str, Any]:
    formatters: dict[str, Any] = settings.LOGGING["formatters"]  # type: ignore[assignment]
    formatter = formatters[settings.LOG_FORMAT]

    def to(stream: str) -> dict[str, Any]:
        return {
            "class": "logging.StreamHandler",
            "formatter": "app",
            "stream": stream,
            "filters": ["request_id"],
        }

    return {
        "filters": {"request_id": {"()": AccessRequestId}},
        "formatters": {"app": formatter},
        "handlers": {"console": to("ext://sys.stdout"), "error_console": to("ext://sys.stderr")},
        # not propagated: the app's own root handler would write each line a second time
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


logconfig_dict = _logging()
