"""One error shape for the whole API, with the services' refusals mapped onto it.

drf-standardized-errors formats every error as `{"type", "errors": [{"code", "detail",
"attr"}]}`. The services raise Django's own exceptions: a `ValidationError` becomes a 400 with
its field errors (a batch's by row: `"attr": "3.client_id"`), a `PermissionDenied` a 403 with
its message, a database refusal that validation could not foresee (two writes racing for
one unique value) a 409, and a database that cannot be reached a 503 to retry after a while.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings

from core.batches import BatchError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with a record written at the same time. Try again.")
    default_code = "conflict"


# seconds a client waits before trying again while the database cannot be reached
RETRY_AFTER = 5


class DatabaseUnavailable(exceptions.APIException):
    """The database cannot be reached (restarting, failing over, out of connections): nothing
    was written, and the same request succeeds once it is back."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The database is unavailable for a moment; try again.")
    default_code = "service_unavailable"
    wait = RETRY_AFTER  # Retry-After


def service_errors(error: DjangoValidationError) -> Any:
    """A service's ValidationError as DRF's field errors, with its codes."""
    detail = get_error_detail(error)
    if isinstance(detail, dict):
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        return detail
    return {api_settings.NON_FIELD_ERRORS_KEY: detail}


class ServiceExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, BatchError):  # each refused row by its index: "3.client_id"
            return exceptions.ValidationError(
                {str(index): service_errors(error) for index, error in exc.rows.items()}
            )
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(service_errors(exc))
        if isinstance(exc, DjangoPermissionDenied):
            return exceptions.PermissionDenied(str(exc) or None)
        if isinstance(exc, IntegrityError):
            return Conflict()
        if isinstance(exc, OperationalError | InterfaceError):
            return DatabaseUnavailable()
        return super().convert_known_exceptions(exc)
