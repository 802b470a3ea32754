"""Admin for the threat register: threats, the communities they put at risk, response plans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AdminRequest, ReadOnlyAdminMixin, ServiceAdmin, ServiceInline
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin
from missions.choices import RiskLevel

from . import services
from .models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment
from .querysets import ThreatQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _RiskLevel(TypedDict):
    risk_level: str  # ThreatQuerySet.with_risk_level()


COMPACT_TEXT: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
}


class CommunityWrites:
    """Communities at risk are written through the threat services, inline or on their own."""

    def update(self, request: AdminRequest, obj: CommunityAtRisk, data: dict[str, Any]) -> Any:
        return services.community_update(community=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: CommunityAtRisk) -> None:
        services.community_delete(community=obj, by=request.user)


class ResponseActionWrites:
    """Response actions are written through the threat services, inline or on their own."""

    def update(self, request: AdminRequest, obj: ResponseAction, data: dict[str, Any]) -> Any:
        return services.response_action_update(action=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: ResponseAction) -> None:
        services.response_action_delete(action=obj, by=request.user)


class CommunityAtRiskInline(CommunityWrites, MissionScopedAdminMixin, ServiceInline):
    model = CommunityAtRisk
    fields = ("name", "group", "area", "women", "men", "girls", "boys")
    autocomplete_fields = ("area",)

    def create(self, request: AdminRequest, parent: Threat, data: dict[str, Any]) -> Any:
        return services.community_create(by=request.user, threat=parent, **data)


class ResponseActionInline(ResponseActionWrites, MissionScopedAdminMixin, ServiceInline):
    model = ResponseAction
    fields = ("tier", "phase", "description", "component", "lead", "status", "due_on")
    formfield_overrides = COMPACT_TEXT

    def create(self, request: AdminRequest, parent: Threat, data: dict[str, Any]) -> Any:
        return services.response_action_create(by=request.user, threat=parent, **data)


class ThreatAssessmentInline(ReadOnlyAdminMixin, MissionScopedAdminMixin, ServiceInline):
    """The threat's risk history, newest first: written by the threat services alone, each
    time the threat is re-scored."""

    model = ThreatAssessment
    fields = (
        "valid_from",
        "valid_to",
        "likelihood",
        "impact",
        "risk_score",
        "trend",
        "phase",
        "assessed_by",
        "assessed_at",
    )
    readonly_fields = fields
    ordering = ("-valid_from",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[ThreatAssessment]:
        return super().get_queryset(request).select_related("phase", "assessed_by")

    def write_formset(self, request: HttpRequest, formset: Any, parent: Any) -> None:
        # read-only: the assessments follow the threat's own fields, written by its service
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Threat)
class ThreatAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = (
        "title",
        "mission",
        "threat_type",
        "perpetrator_category",
        "host_state",
        "likelihood",
        "impact",
        "risk_score",
        "risk_level",
        "status",
        "trend",
        "phase",
        "next_review_on",
    )
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        "status",
        "threat_type",
        "perpetrator_category",
        "phase",
        "trend",
        ("areas", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("mission", "phase")
    search_fields = (
        "title",
        "description",
        "perpetrator_actor",
        "warning_signs",
        "communities__name",
    )
    autocomplete_fields = ("mission", "areas", "owner")
    date_hierarchy = "identified_on"
    readonly_fields = ("is_host_state_perpetrator", "risk_score", "risk_level", *TIMESTAMPS)
    inlines = (CommunityAtRiskInline, ResponseActionInline, ThreatAssessmentInline)
    fieldsets = (
        (None, {"fields": ("mission", "title", "description")}),
        (
            _("Type and perpetrator"),
            {
                "fields": (
                    "threat_type",
                    ("perpetrator_category", "perpetrator_actor"),
                    "is_host_state_perpetrator",
                )
            },
        ),
        (_("Affected areas"), {"fields": ("areas",)}),
        (_("Risk"), {"fields": (("likelihood", "impact"), ("risk_score", "risk_level"))}),
        (
            _("Status and review"),
            {
                "fields": (
                    ("status", "trend", "phase"),
                    ("identified_on", "closed_on"),
                    "warning_signs",
                    ("owner", "next_review_on"),
                )
            },
        ),
        RECORD_FIELDSET,
    )

    @admin.display(boolean=True, description=_("host state"), ordering="is_host_state_perpetrator")
    def host_state(self, obj: Threat) -> bool:
        host_state: bool = obj.is_host_state_perpetrator
        return host_state

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # a threat stays in the register it was entered in
        return (*self.readonly_fields, "mission") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Threat:
        return services.threat_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Threat, data: dict[str, Any]) -> Threat:
        return services.threat_update(threat=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: Threat) -> None:
        services.threat_delete(threat=obj, by=request.user)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Threat]:
        # the risk level column reads the annotation: no query per row for the mission's bands
        queryset = super().get_queryset(request)
        assert isinstance(queryset, ThreatQuerySet)
        return queryset.with_risk_level()

    @admin.display(description=_("risk level"), ordering="risk_score")
    def risk_level(self, obj: WithAnnotations[Threat, _RiskLevel]) -> str:
        if obj.pk is None:
            return self.get_empty_value_display()
        level = RiskLevel(obj.risk_level)
        return format_html('<span class="{}">{}</span>', level.css_class, level.label)


@admin.register(CommunityAtRisk)
class CommunityAtRiskAdmin(CommunityWrites, MissionScopedAdminMixin, ServiceAdmin):
    list_display = ("name", "threat", "group", "area", "women", "men", "girls", "boys", "total")
    list_filter = (("threat__mission", admin.RelatedOnlyFieldListFilter), "group")
    list_select_related = ("threat", "area")
    search_fields = ("name", "threat__title", "area__name")
    autocomplete_fields = ("threat", "area")
    readonly_fields = TIMESTAMPS
    fields = ("threat", "name", "group", "area", ("women", "men", "girls", "boys"), TIMESTAMPS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "threat") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> CommunityAtRisk:
        return services.community_create(by=request.user, **data)

    @admin.display(description=_("population at risk"))
    def total(self, obj: CommunityAtRisk) -> int:
        return obj.total_people


@admin.register(ResponseAction)
class ResponseActionAdmin(ResponseActionWrites, MissionScopedAdminMixin, ServiceAdmin):
    list_display = ("__str__", "threat", "tier", "phase", "component", "lead", "status", "due_on")
    list_filter = (
        ("threat__mission", admin.RelatedOnlyFieldListFilter),
        "tier",
        "phase",
        "status",
        "component",
    )
    list_select_related = ("threat", "tier", "phase")
    search_fields = ("description", "lead", "threat__title")
    autocomplete_fields = ("threat",)
    date_hierarchy = "due_on"
    readonly_fields = TIMESTAMPS
    fields = (
        "threat",
        ("tier", "phase"),
        "description",
        ("component", "lead"),
        ("status", "due_on"),
        TIMESTAMPS,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "threat") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> ResponseAction:
        return services.response_action_create(by=request.user, **data)
