"""Admin for protection activities: what the mission did, where, and whom it reached."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from indicators.admin_refresh import RefreshRollupsAdminMixin
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from . import services
from .models import ProtectionActivity


@admin.register(ProtectionActivity)
class ProtectionActivityAdmin(RefreshRollupsAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin):
    rollup_ranges = staticmethod(services.rollup_ranges)

    list_display = (
        "started_on",
        "title",
        "activity_type",
        "mission",
        "area",
        "tier",
        "phase",
        "component",
        "people_reached",
        "threat",
    )
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        "activity_type",
        "tier",
        "phase",
        "component",
    )
    list_select_related = ("mission", "area", "tier", "phase", "threat")
    search_fields = ("title", "description", "area__name", "threat__title")
    autocomplete_fields = ("mission", "area", "threat", "logged_by")
    date_hierarchy = "started_on"
    readonly_fields = TIMESTAMPS
    fieldsets = (
        (None, {"fields": ("mission", "activity_type", "title", "description")}),
        (_("When and where"), {"fields": ("area", ("started_on", "ended_on"))}),
        (_("Protection"), {"fields": (("tier", "phase"), "component", "threat")}),
        (_("People reached"), {"fields": (("women", "men", "girls", "boys"),)}),
        (_("Logging"), {"fields": ("logged_by",)}),
        RECORD_FIELDSET,
    )

    @admin.display(description=_("people reached"))
    def people_reached(self, obj: ProtectionActivity) -> int:
        return obj.total_people

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"logged_by": request.user.pk, **super().get_changeform_initial_data(request)}
