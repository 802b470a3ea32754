"""Every log record carries the request id of the request or task that wrote it.

The same id is on the audit entries of that request or task, and in its `X-Request-ID`
header, so a log line, the changes it speaks of and the caller's own logs read together.
"""

from __future__ import annotations

import logging

from .context import request_id_if_any


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a response once the middleware is done with it: its request
        # says which; anything else logs inside the request or task it belongs to
        request_id = getattr(getattr(record, "request", None), "request_id", None)
        if request_id is None:
            request_id = request_id_if_any()
        record.request_id = str(request_id) if request_id is not None else ""
        return True
