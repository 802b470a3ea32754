"""Admin for protection activities: what the mission did, where, and whom it reached."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import AdminRequest, ServiceAdmin
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from . import services
from .models import ProtectionActivity


@admin.register(ProtectionActivity)
class ProtectionActivityAdmin(MissionScopedAdminMixin, ServiceAdmin):
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
    autocomplete_fields = ("mission", "area", "threat")
    date_hierarchy = "started_on"
    readonly_fields = ("logged_by", *TIMESTAMPS)
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # an activity stays in the mission it was logged in
        return (*self.readonly_fields, "mission") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> ProtectionActivity:
        return services.activity_create(by=request.user, **data)

    def update(
        self, request: AdminRequest, obj: ProtectionActivity, data: dict[str, Any]
    ) -> ProtectionActivity:
        return services.activity_update(activity=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: ProtectionActivity) -> None:
        services.activity_delete(activity=obj, by=request.user)
