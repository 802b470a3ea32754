"""Imports in the admin: read only; files are imported with the command or through the API."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from missions.admin import MissionScopedAdminMixin

from .models import IncidentImport


@admin.register(IncidentImport)
class IncidentImportAdmin(
    ReadOnlyAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin[IncidentImport]
):
    list_display = (
        "file_name",
        "mission",
        "preset",
        "status",
        "dry_run",
        "rows",
        "created_by",
        "created_at",
        "finished_at",
    )
    list_filter = (("mission", admin.RelatedOnlyFieldListFilter), "status", "preset", "dry_run")
    list_select_related = ("mission", "created_by")
    search_fields = ("file_name", "checksum", "source_name")
    date_hierarchy = "created_at"

    @admin.display(description=_("rows read"))
    def rows(self, run: IncidentImport) -> int:
        rows: int = run.counts.get("rows", 0)
        return rows
