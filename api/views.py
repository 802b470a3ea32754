"""The project's 404 and 500 pages, which under /api/ answer in the API's one error shape, and
that shape for answers given before DRF is reached (middleware)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from rest_framework import exceptions

from api.exceptions import RETRY_AFTER, DatabaseUnavailable


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL no route matches: a script reading the API gets JSON it can parse, as for a
    record it may not see; a browser elsewhere gets Django's page."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    error = exceptions.NotFound()
    return client_error(str(error.default_code), str(error.detail), status=404)


def client_error(code: str, detail: str, *, status: int) -> JsonResponse:
    """An answer in the shape drf-standardized-errors gives DRF's own client errors."""
    body = {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """An error of the server. A database that cannot be reached (restarting, failing over, out
    of connections) answers 503 with Retry-After, which clients and proxies retry, instead of a
    500 that says the request itself broke something; whatever else, 500."""
    api = request.path.startswith("/api/")
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        if api:  # before DRF is reached (a session, a token): as DRF would answer
            error = DatabaseUnavailable()
            response: HttpResponse = server_error_body(error.default_code, str(error.detail))
        else:
            response = HttpResponse(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    if api:  # the words drf-standardized-errors gives an unhandled error
        response = server_error_body("error", "Server Error (500)")
        response.status_code = 500
        return response
    return defaults.server_error(request)


def server_error_body(code: str, detail: str) -> JsonResponse:
    """The shape drf-standardized-errors gives a server error."""
    return JsonResponse(
        {"type": "server_error", "errors": [{"code": code, "detail": detail, "attr": None}]}
    )
