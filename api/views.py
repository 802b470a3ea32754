"""The project's 404 page, which under /api/ answers in the API's one error shape, and that
shape for answers given before DRF is reached (middleware)."""

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
    return client_error(str(error.default_code), str(error.detail), status=404)


def client_error(code: str, detail: str, *, status: int) -> JsonResponse:
    """An answer in the shape drf-standardized-errors gives DRF's own client errors."""
    body = {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)
