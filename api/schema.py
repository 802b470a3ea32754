"""The OpenAPI schema: every operation documents its error responses in the one error shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors import openapi
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ValidationErrorResponseSerializer,
)
from rest_framework import serializers

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class Error409Serializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(choices=["conflict"])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors: Any = Error409Serializer(many=True)


class Error412Serializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(choices=["precondition_failed"])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse412Serializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors: Any = Error412Serializer(many=True)


VERSIONED = ("PUT", "PATCH", "DELETE")


class AutoSchema(openapi.AutoSchema):
    """drf-standardized-errors' schema, plus what this API adds: the 409 of a racing write,
    the 412 of a stale `If-Match`, the 400 of a service's refusal on every write (a delete
    too), and `?brief=true`."""

    def _get_allowed_error_status_codes(self) -> list[str]:
        return [*super()._get_allowed_error_status_codes(), "409", "412"]

    def _versioned(self) -> bool:
        from .viewsets import ServiceViewSet  # the viewsets import this module's neighbours

        return self.method in VERSIONED and isinstance(self.view, ServiceViewSet)

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "409":
            return self.method in UNSAFE and status_code not in responses
        if status_code == "412":
            return self._versioned() and status_code not in responses
        return bool(super()._should_add_error_response(responses, status_code))

    def _should_add_validation_error_response(self) -> bool:
        # the services validate every write, and a delete may be refused for what refers to it
        return self.method in UNSAFE or bool(super()._should_add_validation_error_response())

    def _get_serializer_for_validation_error_response(self) -> Any:
        # One shape for every 400: a service may name a field the request did not carry
        # (`acknowledged_at` for an acknowledgement's `at`), or `non_field_errors`.
        return ValidationErrorResponseSerializer

    def _get_error_response_serializer(self, status_code: str) -> Any:
        if status_code == "409":
            return ErrorResponse409Serializer
        if status_code == "412":
            return ErrorResponse412Serializer
        return super()._get_error_response_serializer(status_code)

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        meta = getattr(getattr(self.view, "serializer_class", None), "Meta", None)
        if self.method == "GET" and getattr(meta, "brief_fields", None) is not None:
            parameters.append(
                OpenApiParameter(
                    "brief",
                    OpenApiTypes.BOOL,
                    description="Return the brief representation of each record.",
                )
            )
        if self._versioned():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    description="The ETag the record was read with: a 412 if it has changed.",
                )
            )
        return parameters
