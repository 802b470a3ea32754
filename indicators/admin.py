"""Admin for the indicator catalogue, targets, hand-logged observations and computed rollups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from commitments.admin import KeyElementListFilter
from core.admin import (
    AdminRequest,
    ReadOnlyAdminMixin,
    ServiceAdmin,
    ServiceInline,
    TranslatedServiceAdmin,
    admin_request,
    cleaned_changes,
)
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin
from missions.permissions import Verb, can, can_somewhere

from .documentation import describe
from .models import (
    CalendarDay,
    Indicator,
    IndicatorTarget,
    Observation,
    ObservationTransition,
    ObservationValue,
    Rollup,
)
from .services import catalogue
from .services import observations as workflow

# --- Catalogue and targets ------------------------------------------------------------------


class TargetWrites:
    """Targets are written through the catalogue services, inline or on their own."""

    def update(self, request: AdminRequest, obj: IndicatorTarget, data: dict[str, Any]) -> Any:
        return catalogue.target_update(target=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: IndicatorTarget) -> None:
        catalogue.target_delete(target=obj, by=request.user)


class IndicatorTargetInline(TargetWrites, MissionScopedAdminMixin, ServiceInline):
    model = IndicatorTarget
    fields = ("mission", "period_start", "period_end", "baseline", "target")
    autocomplete_fields = ("mission",)

    def create(self, request: AdminRequest, parent: Indicator, data: dict[str, Any]) -> Any:
        return catalogue.target_create(by=request.user, indicator=parent, **data)


@admin.register(Indicator)
class IndicatorAdmin(TranslatedServiceAdmin):
    """The catalogue, each text (indicators/translation.py) with one field per language."""

    list_display = (
        "code",
        "name",
        "unit",
        "method",
        "time_aggregation",
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
    readonly_fields = ("how_computed", *TIMESTAMPS)
    inlines = (IndicatorTargetInline,)
    fieldsets = (
        (None, {"fields": (("code", "is_active"), "name", "definition")}),
        (
            _("Measurement"),
            {
                "fields": (
                    ("unit", "method", "time_aggregation", "polarity"),
                    ("disaggregation", "frequency"),
                    ("numerator_label", "denominator_label"),
                    "at_risk_margin",
                )
            },
        ),
        (_("Results chain"), {"fields": ("key_element", "tier", "responsible_component")}),
        (_("Source"), {"fields": (("source", "derivation"), "data_source")}),
        (_("How it is computed"), {"fields": ("how_computed",)}),
        RECORD_FIELDSET,
    )

    @admin.display(description=_("How it is computed"))
    def how_computed(self, obj: Indicator | None) -> str:
        """The same description as docs/indicators.md, for the saved indicator."""
        if obj is None or obj.pk is None:
            return str(_("Shown once the indicator is saved."))
        # computed from the stored row, not from the form being edited
        doc = describe(Indicator.objects.select_related("key_element", "tier").get(pk=obj.pk))
        rows = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((label, value) for label, value in doc.rows())
        )
        rules = format_html_join("", "<p>{}</p>", ((rule,) for rule in doc.rules))
        return format_html(
            '<dl class="indicator-doc">{}</dl><h4>{}</h4>{}', rows, _("Records and rules"), rules
        )

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Indicator:
        return catalogue.indicator_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Indicator, data: dict[str, Any]) -> Indicator:
        return catalogue.indicator_update(indicator=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: Indicator) -> None:
        catalogue.indicator_delete(indicator=obj, by=request.user)


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(TargetWrites, MissionScopedAdminMixin, ServiceAdmin):
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "indicator", "mission") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> IndicatorTarget:
        return catalogue.target_create(by=request.user, **data)


# --- Observations ---------------------------------------------------------------------------


class ObservationActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed to return or reopen an observation."),
    )


class ObservationValueInline(MissionScopedAdminMixin, ServiceInline):
    """The figures of an observation; ObservationAdmin writes them as one set."""

    model = ObservationValue
    fields = ("disaggregation", "value", "numerator", "denominator")
    verbose_name_plural = _("values")

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # a new observation needs at least its total
        return 0 if obj else 1

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, Verb.CHANGE, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, Verb.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, Verb.CHANGE, obj)

    def _may(self, request: HttpRequest, verb: Verb, obj: Any) -> bool:
        # the figures are the observation's own: they change as it does
        if obj is None or obj.pk is None:
            return can_somewhere(request.user, Verb.CREATE, Observation)
        return can(request.user, verb, obj) and obj.is_editable


class ObservationTransitionInline(
    ReadOnlyAdminMixin, admin.TabularInline[ObservationTransition, Observation]
):
    model = ObservationTransition
    fields = ("at", "from_state", "to_state", "by", "comment", "values_snapshot")
    readonly_fields = fields
    extra = 0


def _figures(formset: Any) -> dict[str, dict[str, Any]]:
    """The values formset as the observation services take figures: group → figures."""
    return {
        form.cleaned_data["disaggregation"]: {
            name: form.cleaned_data.get(name) for name in ("value", "numerator", "denominator")
        }
        for form in formset.forms
        if form.cleaned_data and form not in formset.deleted_forms
    }


@admin.register(Observation)
class ObservationAdmin(MissionScopedAdminMixin, ServiceAdmin):
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
    autocomplete_fields = ("indicator", "mission", "area")
    date_hierarchy = "period_start"
    inlines = (ObservationValueInline, ObservationTransitionInline)
    action_form = ObservationActionForm
    actions = ("submit", "validate", "return_", "reopen")
    # the state moves only through the workflow actions, which stamp who and when
    readonly_fields = (
        "state",
        "logged_by",
        "submitted_at",
        "validated_by",
        "validated_at",
        *TIMESTAMPS,
    )
    fieldsets = (
        (None, {"fields": ("indicator", ("mission", "area"), ("period_start", "period_end"))}),
        (
            _("State"),
            {
                "description": _(
                    "Only validated values count in official figures. A validated observation "
                    "is locked. Submit, validate, return and reopen from the list's actions."
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

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Observation]:
        # indicator and place make up each observation's name in autocomplete results
        return super().get_queryset(request).select_related("indicator", "mission", "area")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return self.readonly_fields
        # what it measures and for which mission are fixed once logged
        return (*self.readonly_fields, "indicator", "mission")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # submitted and validated observations change only through the workflow actions
        editable = obj is None or obj.is_editable
        return editable and super().has_change_permission(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        values_formset = next(f for f in formsets if f.model is ObservationValue)
        by = admin_request(request).user
        if change:
            figures = _figures(values_formset) if values_formset.has_changed() else None
            fresh = Observation.objects.get(pk=form.instance.pk)
            saved = workflow.observation_update(
                observation=fresh, by=by, data=cleaned_changes(form), values=figures
            )
        else:
            saved = workflow.observation_create(
                by=by, values=_figures(values_formset), **form.cleaned_data
            )
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def write(self, request: HttpRequest, form: Any) -> Observation:
        # The form's dry run. A new observation is created with its figures, which only the
        # inline holds: its refusals come back from the real write, as a message.
        observation: Observation = form.instance
        if observation.pk is None:
            return observation
        fresh = Observation.objects.get(pk=observation.pk)
        return workflow.observation_update(
            observation=fresh, by=admin_request(request).user, data=cleaned_changes(form)
        )

    def delete(self, request: AdminRequest, obj: Observation) -> None:
        workflow.observation_delete(observation=obj, by=request.user)

    def _run(
        self, request: HttpRequest, queryset: models.QuerySet[Observation], step: Any, **kwargs: Any
    ) -> None:
        done = 0
        for observation in queryset:
            try:
                step(observation=observation, by=admin_request(request).user, **kwargs)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refusal = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{observation}: {refusal}", messages.ERROR)
        if done:
            self.message_user(
                request, _("%(count)d observations done.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Submit for validation"))
    def submit(self, request: HttpRequest, queryset: models.QuerySet[Observation]) -> None:
        self._run(request, queryset, workflow.observation_submit)

    @admin.action(description=_("Validate"))
    def validate(self, request: HttpRequest, queryset: models.QuerySet[Observation]) -> None:
        self._run(request, queryset, workflow.observation_validate)

    @admin.action(description=_("Return for correction (give the reason)"))
    def return_(self, request: HttpRequest, queryset: models.QuerySet[Observation]) -> None:
        reason = request.POST.get("reason", "")
        self._run(request, queryset, workflow.observation_return, reason=reason)

    @admin.action(description=_("Reopen for correction (give the reason)"))
    def reopen(self, request: HttpRequest, queryset: models.QuerySet[Observation]) -> None:
        reason = request.POST.get("reason", "")
        self._run(request, queryset, workflow.observation_reopen, reason=reason)


@admin.register(ObservationValue)
class ObservationValueAdmin(
    ReadOnlyAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin[ObservationValue]
):
    """Figures are written with their observation; here they are only listed and searched."""

    list_display = ("observation", "disaggregation", "value", "numerator", "denominator")
    list_filter = (
        ("observation__mission", admin.RelatedOnlyFieldListFilter),
        "observation__indicator",
        "observation__state",
        "disaggregation",
    )
    list_select_related = ("observation__indicator", "observation__mission", "observation__area")
    search_fields = ("observation__indicator__code", "observation__indicator__name")
    fields = ("observation", "disaggregation", ("value", "numerator", "denominator"))


@admin.register(ObservationTransition)
class ObservationTransitionAdmin(
    ReadOnlyAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin[ObservationTransition]
):
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
class RollupAdmin(ReadOnlyAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin[Rollup]):
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
class CalendarDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CalendarDay]):
    list_display = ("day", "week_start", "month_start", "quarter_start", "year_start", "ordinal")
    date_hierarchy = "day"
