"""A mission's indicator baselines and targets per period, each indicator's definition and
how it is computed beside them.

Every member may read them; setting them asks MANAGE_TARGETS (POC advisers), through the
indicator services (`target_create`, `target_update`, `target_delete`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from indicators.models import Indicator, IndicatorTarget
from indicators.services.catalogue import (
    TARGET_FIELDS,
    target_create,
    target_delete,
    target_update,
)
from missions.permissions import Action
from web.forms import save_through
from web.model_forms import ModelFieldsForm
from web.pages import MissionPage

# The catalogue fields that say how a figure is computed, shown beside its targets.
COMPUTATION_FIELDS = [
    "unit",
    "method",
    "time_aggregation",
    "polarity",
    "disaggregation",
    "frequency",
    "source",
    "derivation",
    "numerator_label",
    "denominator_label",
    "at_risk_margin",
    "data_source",
]


def computation(indicator: Indicator) -> list[tuple[str, str]]:
    """The indicator's computing fields as (label, value), choices by their labels, blanks
    left out."""
    rows = []
    for name in COMPUTATION_FIELDS:
        field = Indicator._meta.get_field(name)
        display = getattr(indicator, f"get_{name}_display", None)
        value = display() if display else getattr(indicator, name)
        if value not in ("", None):
            rows.append((capfirst(str(field.verbose_name)), str(value)))  # type: ignore[union-attr]  # concrete fields
    return rows


class TargetForm(ModelFieldsForm):
    model = IndicatorTarget
    names = TARGET_FIELDS


class NewTargetForm(TargetForm):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(is_active=True).order_by("code"),
        label=gettext_lazy("Indicator"),
        to_field_name="code",
    )
    field_order = ["indicator"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["indicator", *self.names])


class TargetListView(MissionPage, TemplateView):
    template_name = "web/commitments/targets.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # queries: the active indicators with their key elements and tiers, then this
        # mission's targets of them
        targets = (
            IndicatorTarget.objects.visible_to(self.user)
            .for_mission(self.mission)
            .order_by("period_start")
        )
        indicators = (
            Indicator.objects.filter(is_active=True)
            .select_related("key_element__paragraph", "tier")
            .prefetch_related(Prefetch("targets", targets, to_attr="mission_targets"))
            .order_by("code")
        )
        rows = [(indicator, computation(indicator)) for indicator in indicators]
        return super().get_context_data(rows=rows, **kwargs)


class TargetEditing(MissionPage):
    required_action = Action.MANAGE_TARGETS

    def targets_page(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse("web:targets", kwargs={"mission": self.mission.acronym})
        )


class TargetCreateView(TargetEditing, FormView[NewTargetForm]):
    template_name = "web/commitments/target_form.html"
    form_class = NewTargetForm

    def get_initial(self) -> dict[str, Any]:
        return {"indicator": self.request.GET.get("indicator", "")}

    def form_valid(self, form: NewTargetForm) -> HttpResponse:
        fields = dict(form.cleaned_data)
        indicator = fields.pop("indicator")
        saved = save_through(
            form,
            lambda: target_create(
                by=self.user, indicator=indicator, mission=self.mission, **fields
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Target saved."))
        return self.targets_page()


class TargetEditView(TargetEditing, FormView[TargetForm]):
    template_name = "web/commitments/target_form.html"
    form_class = TargetForm

    @cached_property
    def target(self) -> IndicatorTarget:
        editable = IndicatorTarget.objects.for_user(self.user, Action.MANAGE_TARGETS)
        return get_object_or_404(
            editable.for_mission(self.mission).select_related("indicator"), pk=self.kwargs["pk"]
        )

    def get_initial(self) -> dict[str, Any]:
        return model_to_dict(self.target, fields=TARGET_FIELDS)

    def form_valid(self, form: TargetForm) -> HttpResponse:
        data = form.cleaned_data
        saved = save_through(
            form, lambda: target_update(target=self.target, by=self.user, data=data)
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Target saved."))
        return self.targets_page()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(target=self.target, **kwargs)


class TargetDeleteView(TargetEditView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target_delete(target=self.target, by=self.user)
        messages.success(request, _("Target removed."))
        return self.targets_page()


urlpatterns = [
    path("targets/", TargetListView.as_view(), name="targets"),
    path("targets/new/", TargetCreateView.as_view(), name="target-create"),
    path("targets/<int:pk>/", TargetEditView.as_view(), name="target-edit"),
    path("targets/<int:pk>/delete/", TargetDeleteView.as_view(), name="target-delete"),
]
