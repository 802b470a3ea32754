"""Admin for the indicator catalogue, targets, hand-logged observations and computed rollups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.admin import KeyElementListFilter
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from .admin_refresh import RefreshRollupsAdminMixin
from .choices import ObservationState
from .models import (
    CalendarDay,
    Indicator,
    IndicatorTarget,
    Observation,
    ObservationTransition,
    ObservationValue,
    Rollup,
)
from .services.observations import rollup_ranges as observation_ranges
from .services.rollups import target_ranges


class ReadOnlyAdminMixin:
    """Records the application writes itself (history, computed figures): view only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _values_snapshot(observation: Observation) -> dict[str, dict[str, str | None]]:
    """The observation's figures as its history keeps them: disaggregation → figures."""
    return {
        value.disaggregation: {
            name: None if getattr(value, name) is None else str(getattr(value, name))
            for name in ("value", "numerator", "denominator")
        }
        for value in observation.values.all()
    }


# --- Catalogue and targets ------------------------------------------------------------------


class IndicatorTargetInline(MissionScopedAdminMixin, admin.TabularInline):
    model = IndicatorTarget
    fields = ("mission", "period_start", "period_end", "baseline", "target")
    autocomplete_fields = ("mission",)
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "unit",
        "method",
        "polarity",
        "disaggregation",
        "frequency",
        "source",
        "key_element",
        "tier",
        "responsible_component",
        "is_active",
    )
    list_display_links = ("code", "name")
    list_filter = (
        "is_active",
        "source",
        "frequency",
        "unit",
        "disaggregation",
        "tier",
        ("key_element", KeyElementListFilter),
        "responsible_component",
    )
    list_select_related = ("key_element__paragraph", "tier")
    search_fields = ("code", "name", "definition")
    autocomplete_fields = ("key_element",)
    readonly_fields = TIMESTAMPS
    inlines = (IndicatorTargetInline,)
    fieldsets = (
        (None, {"fields": (("code", "is_active"), "name", "definition")}),
        (
            _("Measurement"),
            {
                "fields": (
                    ("unit", "method", "polarity"),
                    ("disaggregation", "frequency"),
                    ("numerator_label", "denominator_label"),
                    "at_risk_margin",
                )
            },
        ),
        (_("Results chain"), {"fields": ("key_element", "tier", "responsible_component")}),
        (_("Source"), {"fields": (("source", "derivation"), "data_source")}),
        RECORD_FIELDSET,
    )


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(RefreshRollupsAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin):
    rollup_ranges = staticmethod(target_ranges)

    list_display = ("indicator", "mission", "period_start", "period_end", "baseline", "target")
    list_filter = (("mission", admin.RelatedOnlyFieldListFilter), "indicator")
    list_select_related = ("indicator", "mission")
    search_fields = ("indicator__code", "indicator__name")
    autocomplete_fields = ("indicator", "mission")
    date_hierarchy = "period_start"
    readonly_fields = TIMESTAMPS
    fields = (
        "indicator",
        "mission",
        ("period_start", "period_end"),
        ("baseline", "target"),
        TIMESTAMPS,
    )


# --- Observations ---------------------------------------------------------------------------


class LockedWithObservationMixin:
    """An inline that turns read-only once its observation is validated."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_locked) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_locked) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class ObservationValueInline(LockedWithObservationMixin, admin.TabularInline):
    model = ObservationValue
    fields = ("disaggregation", "value", "numerator", "denominator")
    verbose_name_plural = _("values")

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # a new observation needs at least its total
        return 0 if obj else 1


class ObservationTransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ObservationTransition
    fields = ("at", "from_state", "to_state", "by", "comment", "values_snapshot")
    readonly_fields = fields
    extra = 0


@admin.register(Observation)
class ObservationAdmin(RefreshRollupsAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin):
    rollup_ranges = staticmethod(observation_ranges)

    list_display = (
        "indicator",
        "mission",
        "area",
        "period",
        "state",
        "logged_by",
        "validated_by",
    )
    list_filter = (
        "state",
        "indicator",
        ("mission", admin.RelatedOnlyFieldListFilter),
        ("area", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("indicator", "mission", "area", "logged_by", "validated_by")
    search_fields = ("indicator__code", "indicator__name", "area__name", "note")
    autocomplete_fields = ("indicator", "mission", "area", "logged_by")
    date_hierarchy = "period_start"
    inlines = (ObservationValueInline, ObservationTransitionInline)
    # stamped by the workflow, never typed in
    workflow_fields = ("submitted_at", "validated_by", "validated_at", *TIMESTAMPS)
    fieldsets = (
        (None, {"fields": ("indicator", ("mission", "area"), ("period_start", "period_end"))}),
        (
            _("State"),
            {
                "description": _(
                    "Only validated values count in official figures. A validated observation "
                    "is locked."
                ),
                "fields": ("state", "note"),
            },
        ),
        (
            _("Workflow"),
            {"fields": ("logged_by", "submitted_at", ("validated_by", "validated_at"))},
        ),
        RECORD_FIELDSET,
    )

    @admin.display(description=_("period"), ordering="period_start")
    def period(self, obj: Observation) -> str:
        return f"{obj.period_start} – {obj.period_end}"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # indicator and place make up each observation's name in autocomplete results
        return super().get_queryset(request).select_related("indicator", "mission", "area")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.is_locked:
            return tuple(flatten_fieldsets(self.fieldsets))
        return self.workflow_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and obj.is_locked) and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"logged_by": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request: HttpRequest, obj: Observation, form: Any, change: bool) -> None:
        # stamp the workflow columns the state needs (a validated value must say when)
        now = timezone.now()
        if obj.state == ObservationState.SUBMITTED and obj.submitted_at is None:
            obj.submitted_at = now
        if obj.state == ObservationState.VALIDATED and obj.validated_at is None:
            obj.validated_at, obj.validated_by = now, request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # after the values are saved, so the history keeps the figures the change applied to
        if "state" not in form.changed_data:
            return
        observation = form.instance
        ObservationTransition.objects.create(
            observation=observation,
            from_state=form.initial["state"],
            to_state=observation.state,
            by=request.user,
            values_snapshot=_values_snapshot(observation),
        )


@admin.register(ObservationValue)
class ObservationValueAdmin(MissionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("observation", "disaggregation", "value", "numerator", "denominator")
    list_filter = (
        ("observation__mission", admin.RelatedOnlyFieldListFilter),
        "observation__indicator",
        "observation__state",
        "disaggregation",
    )
    list_select_related = ("observation__indicator", "observation__mission", "observation__area")
    search_fields = ("observation__indicator__code", "observation__indicator__name")
    autocomplete_fields = ("observation",)
    fields = ("observation", "disaggregation", ("value", "numerator", "denominator"))

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "observation":
            # a validated observation is locked: no values can be added to it
            field.queryset = field.queryset.exclude(state=ObservationState.VALIDATED)
        return field

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        locked = obj is not None and obj.observation.is_locked
        return not locked and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        locked = obj is not None and obj.observation.is_locked
        return not locked and super().has_delete_permission(request, obj)


@admin.register(ObservationTransition)
class ObservationTransitionAdmin(ReadOnlyAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("observation", "from_state", "to_state", "by", "at")
    list_filter = (
        ("observation__mission", admin.RelatedOnlyFieldListFilter),
        "to_state",
        "from_state",
    )
    list_select_related = ("observation__indicator", "observation__mission", "by")
    search_fields = ("observation__indicator__code", "comment")
    date_hierarchy = "at"


# --- Computed figures -----------------------------------------------------------------------


@admin.register(Rollup)
class RollupAdmin(ReadOnlyAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "indicator",
        "mission",
        "area",
        "level",
        "period",
        "period_start",
        "disaggregation",
        "breakdown",
        "value",
        "provisional_value",
        "target",
        "status",
        "change",
        "computed_at",
    )
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        "indicator",
        "period",
        "level",
        "status",
        "disaggregation",
    )
    list_select_related = ("indicator", "mission", "area")
    search_fields = ("indicator__code", "indicator__name", "area__name", "breakdown")
    date_hierarchy = "period_start"


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "week_start", "month_start", "quarter_start", "year_start", "ordinal")
    date_hierarchy = "day"
