"""Admin for incidents, their civilian casualties, and the grave violations against children."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models.expressions import Combinable
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import AdminRequest, ReferenceDataAdmin, ServiceAdmin
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from . import services
from .choices import CASUALTY_GROUPS, Harm, casualty_field
from .models import GraveViolation, Incident

# One row per harm, one column per sex-age group: the same grid as the JOC entry form.
CASUALTY_ROWS = tuple(
    tuple(casualty_field(harm, group) for group in CASUALTY_GROUPS) for harm in Harm
)


def _harm_total(harm: Harm) -> Combinable:
    """SQL sum of an incident's columns for one harm."""
    return reduce(operator.add, (models.F(casualty_field(harm, g)) for g in CASUALTY_GROUPS))


def _harm_column(harm: Harm) -> Callable[[Incident], int]:
    """A changelist column showing, and sorting by, the total of one harm."""

    @admin.display(description=harm.label, ordering=f"{harm.value}_total")
    def column(obj: Incident) -> int:
        total: int = getattr(obj, f"{harm.value}_total")
        return total

    return column


@admin.register(GraveViolation)
class GraveViolationAdmin(ReferenceDataAdmin):
    list_display = ("number", "label", "code")
    list_display_links = ("number", "label")
    search_fields = ("label", "code")
    readonly_fields = TIMESTAMPS


@admin.register(Incident)
class IncidentAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = (
        "occurred_on",
        "incident_type",
        "mission",
        "area",
        "perpetrator_category",
        "host_state",
        *(_harm_column(harm) for harm in Harm),  # type: ignore[arg-type]  # stubs: text or bool only; Django shows numbers too
        "people_displaced",
        "verification_status",
        "is_restricted",
        "threat",
    )
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        "incident_type",
        "verification_status",
        "perpetrator_category",
        "is_restricted",
        "grave_violations",
        "source_type",
        "source_reliability",
        "date_precision",
        "location_precision",
    )
    list_select_related = ("mission", "area", "threat")
    search_fields = (
        "location_name",
        "perpetrator_actor",
        "description",
        "area__name",
        "external_id",
    )
    autocomplete_fields = ("mission", "area", "threat")
    filter_horizontal = ("grave_violations",)
    date_hierarchy = "occurred_on"
    readonly_fields = ("is_host_state_perpetrator", "reported_by", *TIMESTAMPS)
    fieldsets = (
        (
            _("When and where"),
            {
                "fields": (
                    ("occurred_on", "occurred_at", "date_precision"),
                    ("mission", "area"),
                    "location_name",
                    ("latitude", "longitude", "location_precision"),
                )
            },
        ),
        (
            _("What and who"),
            {
                "fields": (
                    "incident_type",
                    ("perpetrator_category", "perpetrator_actor"),
                    "is_host_state_perpetrator",
                    "description",
                    "grave_violations",
                )
            },
        ),
        (
            _("Civilians harmed"),
            {
                "description": _(
                    "Women, men, girls, boys (under 18) and people whose sex or age is unknown. "
                    "Never record names."
                ),
                "fields": (*CASUALTY_ROWS, "people_displaced"),
            },
        ),
        (
            _("Verification and source"),
            {
                "fields": (
                    "verification_status",
                    ("source_type", "source_reliability"),
                    "is_restricted",
                )
            },
        ),
        (
            _("Links"),
            {"fields": ("threat", "reported_by", ("external_source", "external_id"))},
        ),
        RECORD_FIELDSET,
    )

    @admin.display(boolean=True, description=_("host state"), ordering="is_host_state_perpetrator")
    def host_state(self, obj: Incident) -> bool:
        host_state: bool = obj.is_host_state_perpetrator
        return host_state

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Incident]:
        # totals per harm are summed in SQL so the list can show and sort them
        totals = {f"{harm.value}_total": _harm_total(harm) for harm in Harm}
        queryset: models.QuerySet[Incident] = super().get_queryset(request).annotate(**totals)
        return queryset

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # an incident stays in the mission it was logged in
        return (*self.readonly_fields, "mission") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Incident:
        return services.incident_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Incident, data: dict[str, Any]) -> Incident:
        return services.incident_update(incident=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: Incident) -> None:
        services.incident_delete(incident=obj, by=request.user)
