"""The project's 404 page, which under /api/ answers in the API's one error shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL no route matches: a script reading the API gets JSON it can parse, as for a
    record it may not see; a browser elsewhere gets Django's page."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    error = exceptions.NotFound()
    body = {
        "type": "client_error",
        "errors": [{"code": error.default_code, "detail": str(error.detail), "attr": None}],
    }
    return JsonResponse(body, status=404)
