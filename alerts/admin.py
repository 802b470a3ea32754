"""Admin for early-warning alerts and the mission's response to them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import AdminRequest, ServiceAdmin
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from . import services
from .models import Alert


@admin.register(Alert)
class AlertAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = (
        "received_at",
        "mission",
        "area",
        "severity",
        "source",
        "threat",
        "acknowledged_at",
        "response_tier",
        "arrived_at",
        "response_time",
        "within_standard",
        "outcome",
    )
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        "severity",
        "source",
        "outcome",
        "response_tier",
        ("arrived_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("mission", "area", "threat", "response_tier")
    search_fields = ("summary", "area__name", "threat__title", "response_decided", "outcome_notes")
    autocomplete_fields = ("mission", "area", "threat")
    date_hierarchy = "received_at"
    readonly_fields = ("logged_by", "response_time", "within_standard", *TIMESTAMPS)
    fieldsets = (
        (
            _("Alert"),
            {
                "fields": (
                    ("mission", "area"),
                    ("source", "severity"),
                    "summary",
                    "threat",
                    ("received_at", "logged_by"),
                )
            },
        ),
        (
            _("Response"),
            {
                "fields": (
                    "acknowledged_at",
                    "response_tier",
                    "response_decided",
                    ("deployed_at", "arrived_at"),
                    ("response_time", "within_standard"),
                )
            },
        ),
        (_("Outcome"), {"fields": ("outcome", "outcome_notes")}),
        RECORD_FIELDSET,
    )

    @admin.display(description=_("response time"))
    def response_time(self, obj: Alert) -> str:
        elapsed = obj.response_time() if obj.received_at else None
        if elapsed is None:
            return self.get_empty_value_display()
        hours, seconds = divmod(int(elapsed.total_seconds()), 3600)
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": seconds // 60}

    @admin.display(boolean=True, description=_("within standard"))
    def within_standard(self, obj: Alert) -> bool | None:
        if obj.pk is None:
            return None
        return obj.answered_within_standard()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # an alert stays in the mission it was logged in
        return (*self.readonly_fields, "mission") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Alert:
        return services.alert_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Alert, data: dict[str, Any]) -> Alert:
        return services.alert_update(alert=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: Alert) -> None:
        services.alert_delete(alert=obj, by=request.user)
