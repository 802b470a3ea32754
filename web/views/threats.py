"""The threat register of a mission: the filterable list, a threat's page, and its forms.

Every read goes through the scoped querysets and the threat selectors, every write through
`threats.services`; a threat of another mission is a 404 like the mission itself, and a form is
a 403 to a role without `manage_threats` (`MissionPage.required_action`).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from missions.permissions import Action
from threats import selectors, services
from threats.choices import ThreatStatus
from threats.models import CommunityAtRisk, ResponseAction, Threat
from web import threat_forms
from web.forms import save_through
from web.pages import MissionPage
from web.threat_register import (
    LINKED_SHOWN,
    RANGE_FILTERS,
    MissionThreatFilterSet,
    linked_alerts,
    linked_incidents,
    mission_threats,
    threat_audit_trail,
    threat_filters,
)

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class ThreatListView(MissionPage, ListView[Threat]):
    template_name = "web/threats/list.html"
    context_object_name = "threats"
    paginate_by = 25

    @cached_property
    def filterset(self) -> MissionThreatFilterSet:
        return threat_filters(self.request, self.user, self.mission)

    def get_queryset(self) -> QuerySet[Threat]:
        threats: QuerySet[Threat] = self.filterset.qs
        return threats

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = self.filterset.form
        return super().get_context_data(
            filter_form=form,
            plain_filters=[form[name] for name in form.fields if name not in RANGE_FILTERS],
            range_filters=[
                {
                    "field": form[name],
                    "after": self.request.GET.get(f"{name}_after", ""),
                    "before": self.request.GET.get(f"{name}_before", ""),
                }
                for name in RANGE_FILTERS
            ],
            today=timezone.localdate(),
            **kwargs,
        )


class ThreatPage(MissionPage):
    """A page of one threat of the URL's mission: 404 for a threat of another mission or one
    the user may not see."""

    kwargs: dict[str, Any]

    @cached_property
    def threat(self) -> Threat:
        threat = get_object_or_404(
            mission_threats(self.user, self.mission).select_related("mission"),
            pk=self.kwargs["pk"],
        )
        return threat

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(threat=self.threat, **kwargs)

    def threat_url(self) -> str:
        return reverse(
            "web:threat-detail", kwargs={"mission": self.mission.acronym, "pk": self.threat.pk}
        )


class ThreatDetailView(ThreatPage, TemplateView):
    template_name = "web/threats/detail.html"

    @cached_property
    def threat(self) -> Threat:
        try:
            threat = selectors.threat_detail(user=self.user, pk=self.kwargs["pk"])
        except Threat.DoesNotExist:
            raise Http404 from None
        if threat.mission_id != self.mission.pk:
            raise Http404
        return threat

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        threat = self.threat
        communities = list(threat.communities.all())
        return super().get_context_data(
            history=selectors.threat_risk_history(user=self.user, threat=threat),
            plan=selectors.threat_response_plan(threat=threat),
            communities=communities,
            community_totals={
                sex_age: sum(getattr(community, sex_age) for community in communities)
                for sex_age in ("women", "men", "girls", "boys")
            },
            incidents=linked_incidents(self.user, threat),
            alerts=linked_alerts(self.user, threat),
            linked_shown=LINKED_SHOWN,
            audit_trail=threat_audit_trail(self.user, threat),
            today=timezone.localdate(),
            **kwargs,
        )


class RegisterForm(MissionPage, FormView[forms.Form], metaclass=ABCMeta):
    """A form of the register, for roles that manage threats, saved through a service."""

    required_action = Action.MANAGE_THREATS
    template_name = "web/threats/form.html"
    heading: ClassVar[Promise]
    submit_label: ClassVar[Promise]
    done_message: ClassVar[Promise]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        if issubclass(self.get_form_class(), threat_forms.MissionForm):
            kwargs["mission"] = self.mission
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            heading=self.heading, submit_label=self.submit_label, **kwargs
        )

    @abstractmethod
    def write(self, data: dict[str, Any]) -> Threat:
        """Save the valid form's data through a service; return the threat to show next."""

    def form_valid(self, form: forms.Form) -> HttpResponse:
        threat = save_through(form, lambda: self.write(form.cleaned_data))
        if threat is None:
            return self.form_invalid(form)
        messages.success(self.request, str(self.done_message))
        return HttpResponseRedirect(
            reverse("web:threat-detail", kwargs={"mission": self.mission.acronym, "pk": threat.pk})
        )


class ThreatCreateView(RegisterForm):
    form_class = threat_forms.ThreatCreateForm
    heading = gettext_lazy("New threat")
    submit_label = gettext_lazy("Enter the threat")
    done_message = gettext_lazy("The threat is in the register.")

    def write(self, data: dict[str, Any]) -> Threat:
        data = dict(data)
        areas = data.pop("areas")
        return services.threat_create(by=self.user, mission=self.mission, areas=areas, **data)


class ThreatEditView(ThreatPage, RegisterForm):
    form_class = threat_forms.ThreatEditForm
    heading = gettext_lazy("Edit the threat")
    submit_label = gettext_lazy("Save the changes")
    done_message = gettext_lazy("The threat is saved.")

    def get_form(self, form_class: Any = None) -> forms.Form:
        form: forms.Form = super().get_form(form_class)
        if self.threat.status == ThreatStatus.RESOLVED:
            del form.fields["status"]  # it stays resolved: closing is for good
        return form

    def get_initial(self) -> dict[str, Any]:
        threat = self.threat
        initial = {name: getattr(threat, name) for name in threat_forms.DESCRIPTIVE_FIELDS}
        initial["areas"] = list(threat.areas.all())
        return initial

    def write(self, data: dict[str, Any]) -> Threat:
        return services.threat_update(threat=self.threat, by=self.user, data=data)


class ThreatRescoreView(ThreatPage, RegisterForm):
    form_class = threat_forms.ThreatRescoreForm
    heading = gettext_lazy("Re-score the threat")
    submit_label = gettext_lazy("Record the new scores")
    done_message = gettext_lazy("The new scores are in the threat's risk history.")

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.threat, name) for name in threat_forms.SCORE_FIELDS}

    def write(self, data: dict[str, Any]) -> Threat:
        data = dict(data)
        assessed_on = data.pop("assessed_on")
        return services.threat_update(
            threat=self.threat, by=self.user, data=data, assessed_on=assessed_on
        )


class ThreatCloseView(ThreatPage, RegisterForm):
    form_class = threat_forms.ThreatCloseForm
    heading = gettext_lazy("Close the threat")
    submit_label = gettext_lazy("Close the threat")
    done_message = gettext_lazy("The threat is closed.")

    def write(self, data: dict[str, Any]) -> Threat:
        return services.threat_close(threat=self.threat, by=self.user, closed_on=data["closed_on"])


class CommunityCreateView(ThreatPage, RegisterForm):
    form_class = threat_forms.CommunityForm
    heading = gettext_lazy("Add a community at risk")
    submit_label = gettext_lazy("Add the community")
    done_message = gettext_lazy("The community is added.")

    def write(self, data: dict[str, Any]) -> Threat:
        services.community_create(by=self.user, threat=self.threat, **data)
        return self.threat


class ResponseActionCreateView(ThreatPage, RegisterForm):
    form_class = threat_forms.ResponseActionForm
    heading = gettext_lazy("Add a response action")
    submit_label = gettext_lazy("Add the action")
    done_message = gettext_lazy("The action is in the response plan.")

    def write(self, data: dict[str, Any]) -> Threat:
        services.response_action_create(by=self.user, threat=self.threat, **data)
        return self.threat


class CommunityEditView(ThreatPage, RegisterForm):
    form_class = threat_forms.CommunityForm
    heading = gettext_lazy("Edit the community at risk")
    submit_label = gettext_lazy("Save the community")
    done_message = gettext_lazy("The community is saved.")

    @cached_property
    def community(self) -> CommunityAtRisk:
        return get_object_or_404(
            CommunityAtRisk.objects.visible_to(self.user).filter(threat=self.threat),
            pk=self.kwargs["item"],
        )

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.community, name) for name in threat_forms.COMMUNITY_FIELDS}

    def write(self, data: dict[str, Any]) -> Threat:
        services.community_update(community=self.community, by=self.user, data=data)
        return self.threat


class ResponseActionEditView(ThreatPage, RegisterForm):
    form_class = threat_forms.ResponseActionForm
    heading = gettext_lazy("Edit the response action")
    submit_label = gettext_lazy("Save the action")
    done_message = gettext_lazy("The action is saved.")

    @cached_property
    def action(self) -> ResponseAction:
        return get_object_or_404(
            ResponseAction.objects.visible_to(self.user).filter(threat=self.threat),
            pk=self.kwargs["item"],
        )

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.action, name) for name in threat_forms.RESPONSE_ACTION_FIELDS}

    def write(self, data: dict[str, Any]) -> Threat:
        services.response_action_update(action=self.action, by=self.user, data=data)
        return self.threat


class CommunityDeleteView(ThreatPage, View):
    required_action = Action.MANAGE_THREATS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        community = get_object_or_404(
            CommunityAtRisk.objects.visible_to(self.user).filter(threat=self.threat),
            pk=kwargs["item"],
        )
        services.community_delete(community=community, by=self.user)
        messages.success(request, _("The community is taken off the threat."))
        return HttpResponseRedirect(self.threat_url())


class ResponseActionDeleteView(ThreatPage, View):
    required_action = Action.MANAGE_THREATS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = get_object_or_404(
            ResponseAction.objects.visible_to(self.user).filter(threat=self.threat),
            pk=kwargs["item"],
        )
        services.response_action_delete(action=action, by=self.user)
        messages.success(request, _("The action is taken off the response plan."))
        return HttpResponseRedirect(self.threat_url())


urlpatterns = [
    path("", ThreatListView.as_view(), name="threat-list"),
    path("new/", ThreatCreateView.as_view(), name="threat-create"),
    path("<int:pk>/", ThreatDetailView.as_view(), name="threat-detail"),
    path("<int:pk>/edit/", ThreatEditView.as_view(), name="threat-edit"),
    path("<int:pk>/rescore/", ThreatRescoreView.as_view(), name="threat-rescore"),
    path("<int:pk>/close/", ThreatCloseView.as_view(), name="threat-close"),
    path(
        "<int:pk>/communities/new/", CommunityCreateView.as_view(), name="threat-community-create"
    ),
    path(
        "<int:pk>/communities/<int:item>/edit/",
        CommunityEditView.as_view(),
        name="threat-community-edit",
    ),
    path(
        "<int:pk>/communities/<int:item>/delete/",
        CommunityDeleteView.as_view(),
        name="threat-community-delete",
    ),
    path("<int:pk>/actions/new/", ResponseActionCreateView.as_view(), name="threat-action-create"),
    path(
        "<int:pk>/actions/<int:item>/edit/",
        ResponseActionEditView.as_view(),
        name="threat-action-edit",
    ),
    path(
        "<int:pk>/actions/<int:item>/delete/",
        ResponseActionDeleteView.as_view(),
        name="threat-action-delete",
    ),
]
