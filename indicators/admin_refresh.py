"""Admin edits refresh the rollups they touch, as the write services do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .rollups.ranges import BucketRange
from .services.rollups import rollups_changed


class RefreshRollupsAdminMixin:
    """For ModelAdmins of records that feed rollups: on save and delete, refresh (on commit)
    the buckets of the record as it was and as it is. `rollup_ranges` names the record's
    function, shared with its services."""

    rollup_ranges: Callable[[Any], list[BucketRange]]

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = self.model._default_manager.filter(pk=obj.pk).first() if change else None
        obj._rollup_ranges_before = self.rollup_ranges(before) if before else []
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        rollups_changed([*getattr(obj, "_rollup_ranges_before", []), *self.rollup_ranges(obj)])

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        ranges = self.rollup_ranges(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        rollups_changed(ranges)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        ranges = [r for obj in queryset for r in self.rollup_ranges(obj)]
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        rollups_changed(ranges)
