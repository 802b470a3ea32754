"""Give every web request a request id, taken from the caller or made here."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .context import audit_context

HEADER = "X-Request-ID"


def _incoming_id(request: HttpRequest) -> uuid.UUID | None:
    # A proxy or client may send its own id so its logs and ours meet; anything but a UUID is
    # replaced, so the header cannot put arbitrary text in the audit trail.
    value = request.headers.get(HEADER, "")
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class RequestIdMiddleware:
    """Run each request inside an audit context and echo its id in the `X-Request-ID` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with audit_context(_incoming_id(request)) as request_id:
            request.request_id = request_id  # type: ignore[attr-defined]  # for django.request's log
            response = self.get_response(request)
        response[HEADER] = str(request_id)
        return response
