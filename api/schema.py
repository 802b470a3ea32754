"""The OpenAPI schema: every operation documents its error responses in the one error shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import BasicScheme
from drf_spectacular.plumbing import (
    ResolvedComponent,
    append_meta,
    build_array_type,
    build_media_type_object,
    force_instance,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors import openapi
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ValidationErrorResponseSerializer,
)
from rest_framework import serializers

from .serializers import BatchCreatedSerializer, ServiceModelSerializer, brief_of

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class PasswordScheme(BasicScheme):
    """The token endpoint's HTTP Basic sign-in, locked out after repeated failures."""

    target_class = "api.tokens.PasswordAuthentication"


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


class Error422Serializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(choices=["idempotency_key_reused"])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse422Serializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors: Any = Error422Serializer(many=True)


VERSIONED = ("PUT", "PATCH", "DELETE")

# A local time of day as DRF writes and reads it (`14:30`, `14:30:00`, `14:30:00.250000`):
# OpenAPI's `format: time` is RFC 3339's, which requires an offset these times do not have.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class AutoSchema(openapi.AutoSchema):
    """drf-standardized-errors' schema, plus what this API adds: the 409 of a racing write,
    the 412 of a stale `If-Match`, the 400 of a service's refusal on every write (a delete
    too), `?brief=true`, and the batches (`POST …/bulk/`): a list of records in, their ids
    out, the `Idempotency-Key` header and the 422 of a key reused."""

    def _get_allowed_error_status_codes(self) -> list[str]:
        return [*super()._get_allowed_error_status_codes(), "409", "412", "422"]

    def _batch(self) -> bool:
        from .viewsets import BatchCreateMixin

        return (
            isinstance(self.view, BatchCreateMixin) and getattr(self.view, "action", "") == "bulk"
        )

    def get_request_serializer(self) -> Any:
        if self._batch():
            return self.view.get_serializer_class()(many=True)  # type: ignore[attr-defined]  # a viewset's
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        if self._batch():
            return {201: BatchCreatedSerializer(many=True)}
        return super().get_response_serializers()

    def _versioned(self) -> bool:
        from .viewsets import ServiceViewSet  # the viewsets import this module's neighbours

        return self.method in VERSIONED and isinstance(self.view, ServiceViewSet)

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "409":
            return self.method in UNSAFE and status_code not in responses
        if status_code == "412":
            return self._versioned() and status_code not in responses
        if status_code == "422":
            return self._batch() and status_code not in responses
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
        if status_code == "422":
            return ErrorResponse422Serializer
        return super()._get_error_response_serializer(status_code)

    def _brief(self, serializer: Any, status_code: str) -> type[ServiceModelSerializer] | None:
        """The brief class of a read's response serializer, if `?brief=true` applies."""
        serializer_class = type(force_instance(serializer))
        if (
            self.method != "GET"
            or not status_code.startswith("2")
            or not issubclass(serializer_class, ServiceModelSerializer)
            or getattr(serializer_class.Meta, "brief_fields", None) is None
        ):
            return None
        return brief_of(serializer_class)

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: str,
        media_types: Any = None,
        direction: Any = "response",
    ) -> dict[str, Any]:
        # A read answers in its full or, with `?brief=true`, its brief representation: each
        # record is one or the other (anyOf, as a brief one whose fields all appear in the
        # full one would match both).
        brief = self._brief(serializer, status_code)
        if brief is None:
            return dict(
                super()._get_response_for_code(serializer, status_code, media_types, direction)
            )
        full = self.resolve_serializer(force_instance(serializer), direction)
        short = self.resolve_serializer(brief(), direction)
        schema: dict[str, Any] = {"anyOf": [full.ref, short.ref]}
        if self._is_list_view(serializer):
            name = self.get_paginated_name(self._get_serializer_name(serializer, "response"))
            page = ResolvedComponent(
                name=name,
                type=ResolvedComponent.SCHEMA,
                schema=self._get_paginator().get_paginated_response_schema(
                    build_array_type(schema)
                ),
                object=name,
            )
            self.registry.register_on_missing(page)
            schema = page.ref
        headers = self._get_response_headers_for_code(status_code, direction)
        return {
            **({"headers": headers} if headers else {}),
            "content": {
                media_type: build_media_type_object(
                    schema, self._get_examples(serializer, direction, media_type, status_code, [])
                )
                for media_type in media_types or self.map_renderers("media_type")
            },
            "description": "",
        }

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        if isinstance(field, serializers.TimeField):
            time = {"type": "string", "pattern": TIME_PATTERN, "example": "14:30:00"}
            return append_meta(time, self._get_serializer_field_meta(field, direction))
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if getattr(serializer, "brief_only", False):
            schema["additionalProperties"] = False  # the brief fields, and no others
        return schema

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
        if self._batch():
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    description="A key of yours for this batch (a UUID, say): sent again with "
                    "the same batch within 24 hours, the first answer is returned (with "
                    "`Idempotent-Replayed: true`) and nothing is created twice; sent with "
                    "another request, a 422.",
                )
            )
        return parameters
