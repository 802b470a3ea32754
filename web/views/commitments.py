"""A mission's commitment tracker: the A4P key elements it implements, with status, evidence,
due dates and actions, and the other A4P paragraphs for context.

Every member may read it; editing asks MANAGE_COMMITMENTS (POC advisers), and every write goes
through `commitments.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.forms.models import model_to_dict
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from commitments.models import CommitmentAction, CommitmentImplementation, KeyElement, Paragraph
from commitments.services import (
    COMMITMENT_ACTION_FIELDS,
    IMPLEMENTATION_FIELDS,
    commitment_action_create,
    commitment_action_update,
    implementation_create,
    implementation_update,
)
from missions.permissions import Action
from web.forms import save_through
from web.model_forms import ModelFieldsForm
from web.pages import MissionPage

from . import targets


class ImplementationForm(ModelFieldsForm):
    model = CommitmentImplementation
    names = IMPLEMENTATION_FIELDS


class CommitmentActionForm(ModelFieldsForm):
    model = CommitmentAction
    names = COMMITMENT_ACTION_FIELDS


class CommitmentTrackerView(MissionPage, TemplateView):
    """Each key element with the mission's implementation of it (or none yet)."""

    template_name = "web/commitments/tracker.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # queries: the key elements, the mission's implementations, their actions, the other
        # paragraphs
        implementations = (
            CommitmentImplementation.objects.visible_to(self.user)
            .for_mission(self.mission)
            .select_related("reviewed_by")
            .prefetch_related(
                Prefetch("actions", CommitmentAction.objects.order_by("due_on", "pk"))
            )
        )
        by_element = {i.key_element_id: i for i in implementations}
        elements = KeyElement.objects.select_related("paragraph").order_by(
            "paragraph__number", "number"
        )
        others = Paragraph.objects.filter(key_elements__isnull=True).select_related("priority_area")
        return super().get_context_data(
            elements=[(element, by_element.get(element.pk)) for element in elements],
            other_paragraphs=others.order_by("number"),
            **kwargs,
        )


class CommitmentEditing(MissionPage):
    required_action = Action.MANAGE_COMMITMENTS

    def tracker(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse("web:commitments", kwargs={"mission": self.mission.acronym})
        )

    def editable_implementations(self) -> QuerySet[CommitmentImplementation]:
        return CommitmentImplementation.objects.for_user(
            self.user, Action.MANAGE_COMMITMENTS
        ).for_mission(self.mission)


class ImplementationEditView(CommitmentEditing, FormView[ImplementationForm]):
    """Where the mission stands on one key element; saving the first time starts tracking it."""

    template_name = "web/commitments/implementation_form.html"
    form_class = ImplementationForm

    @cached_property
    def element(self) -> KeyElement:
        return get_object_or_404(
            KeyElement.objects.select_related("paragraph"), code=self.kwargs["element"]
        )

    @cached_property
    def implementation(self) -> CommitmentImplementation | None:
        return self.editable_implementations().filter(key_element=self.element).first()

    def get_initial(self) -> dict[str, Any]:
        if self.implementation is None:
            return {}
        return model_to_dict(self.implementation, fields=IMPLEMENTATION_FIELDS)

    def form_valid(self, form: ImplementationForm) -> HttpResponse:
        data = form.cleaned_data
        current = self.implementation
        saved = save_through(
            form,
            lambda: (
                implementation_update(implementation=current, by=self.user, data=data)
                if current is not None
                else implementation_create(
                    by=self.user, mission=self.mission, key_element=self.element, **data
                )
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return self.tracker()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            element=self.element, implementation=self.implementation, **kwargs
        )


class CommitmentActionFormView(CommitmentEditing, FormView[CommitmentActionForm]):
    """Add an action to an element's implementation, or change one."""

    template_name = "web/commitments/action_form.html"
    form_class = CommitmentActionForm

    @cached_property
    def action(self) -> CommitmentAction | None:
        if "pk" not in self.kwargs:
            return None
        actions = CommitmentAction.objects.for_user(self.user, Action.MANAGE_COMMITMENTS)
        return get_object_or_404(
            actions.for_mission(self.mission).select_related("implementation__key_element"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def implementation(self) -> CommitmentImplementation:
        if self.action is not None:
            return self.action.implementation
        return get_object_or_404(
            self.editable_implementations().select_related("key_element"),
            key_element__code=self.kwargs["element"],
        )

    def get_initial(self) -> dict[str, Any]:
        if self.action is None:
            return {}
        return model_to_dict(self.action, fields=COMMITMENT_ACTION_FIELDS)

    def form_valid(self, form: CommitmentActionForm) -> HttpResponse:
        data = form.cleaned_data
        action = self.action
        saved = save_through(
            form,
            lambda: (
                commitment_action_update(action=action, by=self.user, data=data)
                if action is not None
                else commitment_action_create(
                    by=self.user, implementation=self.implementation, **data
                )
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return self.tracker()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            element=self.implementation.key_element, action=self.action, **kwargs
        )


urlpatterns = [
    path("commitments/", CommitmentTrackerView.as_view(), name="commitments"),
    path(
        "commitments/actions/<int:pk>/",
        CommitmentActionFormView.as_view(),
        name="commitment-action-edit",
    ),
    path(
        "commitments/<slug:element>/",
        ImplementationEditView.as_view(),
        name="commitment-edit",
    ),
    path(
        "commitments/<slug:element>/actions/new/",
        CommitmentActionFormView.as_view(),
        name="commitment-action-create",
    ),
    *targets.urlpatterns,
]
