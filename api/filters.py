"""The API's filter backend: django-filter's, skipped when no parameter names a filter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request


class FilterBackend(DjangoFilterBackend):
    """A filter set deep-copies its filters and builds and validates a form on every request,
    even to filter nothing: a page of a list with only `?page_size=` or `?cursor=` paid for
    it. A filter reads the parameters of its own name (`occurred_on`, or with a suffix:
    `occurred_on_after`), and with none given it leaves the rows as they are; so when no
    parameter begins with a filter's name, and no filter is required, the rows are those
    the filter set would answer."""

    def filter_queryset(  # type: ignore[override]  # DRF hands it its own Request
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        filters = filterset_class.base_filters
        given = any(key.startswith(name) for key in request.query_params for name in filters)
        required = any(f.extra.get("required") for f in filters.values())
        if not given and not required:
            return queryset
        return super().filter_queryset(request, queryset, view)
