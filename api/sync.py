"""Incremental sync: `?updated_since=` on every list of records that date their changes.

A client keeps, from each sync, the instant it started, and asks next time for what changed
since: the records come oldest change first, by id among equals, so a page boundary never
falls between two records of the same instant unseen. A record changed while the client pages
moves past the end, and the next sync fetches it. Deletions are read from the audit trail at
`/api/v1/deleted/`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

PARAM = "updated_since"
CHANGED = "updated_at"


def _dates_changes(view: Any) -> bool:
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        return False
    try:
        model._meta.get_field(CHANGED)
    except FieldDoesNotExist:
        return False
    return True


def updated_since(request: Request, view: Any) -> datetime.datetime | None:
    """The instant of `?updated_since=`, or None; a value that is no instant is a 400."""
    raw = request.query_params.get(PARAM)
    if raw is None or not _dates_changes(view):
        return None
    try:
        instant = parse_datetime(raw)
    except ValueError:
        instant = None
    if instant is None:
        raise ValidationError({PARAM: [_("Give an ISO 8601 date and time.")]})
    return instant if timezone.is_aware(instant) else timezone.make_aware(instant)


class SyncOrderingFilter(OrderingFilter):
    """`?ordering=` as DRF's, and `?updated_since=`, which orders by change, then id."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        since = updated_since(request, view)
        if since is not None:
            queryset = queryset.filter(**{f"{CHANGED}__gte": since})
        return super().filter_queryset(request, queryset, view)

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        if updated_since(request, view) is not None:
            return [CHANGED, "pk"]
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = list(super().get_schema_operation_parameters(view))
        if _dates_changes(view):
            parameters.append(
                {
                    "name": PARAM,
                    "required": False,
                    "in": "query",
                    "description": "Only records changed at or after this instant, oldest "
                    "change first (then by id).",
                    "schema": {"type": "string", "format": "date-time"},
                }
            )
        return parameters
