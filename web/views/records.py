"""A mission's incidents and early-warning alerts: lists, pages and forms.

Records are read through the scoped querysets, so another mission's record, or a restricted
incident the user has no need to know, is a 404; every write is a service call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from alerts import services as alert_services
from alerts.models import Alert
from incidents import services as incident_services
from incidents.choices import Harm
from incidents.models import Incident
from missions.permissions import Action
from web.forms import save_through
from web.pages import MissionPage
from web.record_details import (
    alert_rows,
    alert_timeline,
    casualty_rows,
    group_labels,
    response_deadline,
)
from web.record_forms import AcknowledgeForm, AlertForm, IncidentForm, ResponseForm
from web.record_lists import (
    MissionAlertFilterSet,
    MissionIncidentFilterSet,
    keyset_page,
    mission_alerts,
    mission_incidents,
)

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse, HttpResponseBase


class InMissionTime:
    """Times read and written in the mission's time zone, as its staff keep them.

    Sits after MissionPage in the MRO, so the mission is known; the template is rendered
    here too, inside that zone, rather than later by the response middleware.
    """

    mission: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with timezone.override(self.mission.time_zone):
            response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views
            render = getattr(response, "render", None)
            if render is not None and not getattr(response, "is_rendered", True):
                render()
            return response


class RecordPage(MissionPage, InMissionTime, TemplateView):
    def incidents(self) -> QuerySet[Incident]:
        return mission_incidents(self.mission, self.user)

    def alerts(self) -> QuerySet[Alert]:
        return mission_alerts(self.mission, self.user)

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"web:{name}", kwargs={"mission": self.mission.acronym, **kwargs})


class FormPage(RecordPage):
    """A form that writes through a service: 403 to a role that cannot log, the service's
    refusals shown on the form. Each page says which form, which service call, where to go
    after, and what to tell the user."""

    required_action = Action.LOG

    def saved_message(self) -> str:
        raise NotImplementedError

    def build_form(self, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def write(self, form: Any) -> Any:
        raise NotImplementedError

    def success_url(self, record: Any) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.build_form())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.build_form(request.POST)
        if form.is_valid():
            record = save_through(form, lambda: self.write(form))
            if record is not None:
                messages.success(request, self.saved_message())
                return HttpResponseRedirect(self.success_url(record))
        return self.render_to_response(self.get_context_data(form=form))


# incidents


class IncidentListView(RecordPage):
    template_name = "web/incidents/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = MissionIncidentFilterSet(
            self.request.GET, mission=self.mission, request=self.request
        )
        page = keyset_page(filters.qs, field="occurred_on", params=self.request.GET)
        rows = [
            (incident, incident.casualties(Harm.KILLED), incident.casualties(Harm.INJURED))
            for incident in page.rows
        ]
        return super().get_context_data(filters=filters, page=page, rows=rows, **kwargs)


class IncidentDetailView(RecordPage):
    template_name = "web/incidents/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        incident = get_object_or_404(
            self.incidents()
            .select_related("area", "threat", "reported_by")
            .prefetch_related("grave_violations"),
            pk=self.kwargs["pk"],
        )
        return super().get_context_data(
            incident=incident,
            casualties=casualty_rows(incident),
            groups=group_labels(),
            **kwargs,
        )


class IncidentCreateView(FormPage):
    template_name = "web/incidents/form.html"

    def saved_message(self) -> str:
        return _("The incident is logged.")

    def build_form(self, data: Any = None) -> forms.Form:
        return IncidentForm(data, mission=self.mission, user=self.user)

    def write(self, form: IncidentForm) -> Incident:
        data = form.service_data()
        return incident_services.incident_create(
            by=self.user,
            mission=self.mission,
            area=data.pop("area"),
            grave_violations=data.pop("grave_violations"),
            **data,
        )

    def success_url(self, record: Incident) -> str:
        return self.url("incident-detail", pk=record.pk)


class IncidentUpdateView(FormPage):
    template_name = "web/incidents/form.html"

    def saved_message(self) -> str:
        return _("The incident is corrected.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.incident: Incident | None = None
        return super().dispatch(request, *args, **kwargs)

    def record(self) -> Incident:
        if self.incident is None:
            self.incident = get_object_or_404(self.incidents(), pk=self.kwargs["pk"])
        return self.incident

    def build_form(self, data: Any = None) -> forms.Form:
        return IncidentForm(
            data,
            mission=self.mission,
            user=self.user,
            incident=self.record(),
            may_lift_restriction=self.can.view_restricted,
        )

    def write(self, form: IncidentForm) -> Incident:
        return incident_services.incident_update(
            incident=self.record(), by=self.user, data=form.service_data()
        )

    def success_url(self, record: Incident) -> str:
        return self.url("incident-detail", pk=record.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(incident=self.record(), **kwargs)


# alerts


class AlertListView(RecordPage):
    template_name = "web/alerts/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = MissionAlertFilterSet(
            self.request.GET, mission=self.mission, request=self.request
        )
        page = keyset_page(filters.qs, field="received_at", params=self.request.GET)
        return super().get_context_data(
            filters=filters, page=page, rows=alert_rows(page.rows), **kwargs
        )


class AlertRecordMixin(RecordPage):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.alert: Alert | None = None
        return super().dispatch(request, *args, **kwargs)

    def record(self) -> Alert:
        if self.alert is None:
            self.alert = get_object_or_404(
                self.alerts().select_related("area", "mission", "threat", "response_tier"),
                pk=self.kwargs["pk"],
            )
        return self.alert

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        alert = self.record()
        return super().get_context_data(
            alert=alert,
            deadline=response_deadline(alert),
            timeline=alert_timeline(alert, now=timezone.now()),
            **kwargs,
        )


class AlertDetailView(AlertRecordMixin):
    template_name = "web/alerts/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.can.log and self.record().acknowledged_at is None:
            context["acknowledge_form"] = AcknowledgeForm()
        return context


class AlertCreateView(FormPage):
    template_name = "web/alerts/form.html"

    def saved_message(self) -> str:
        return _("The alert is logged.")

    def build_form(self, data: Any = None) -> forms.Form:
        return AlertForm(data, mission=self.mission, user=self.user)

    def write(self, form: AlertForm) -> Alert:
        data = dict(form.cleaned_data)
        return alert_services.alert_create(
            by=self.user, mission=self.mission, area=data.pop("area"), **data
        )

    def success_url(self, record: Alert) -> str:
        return self.url("alert-detail", pk=record.pk)


class AlertFormPage(AlertRecordMixin, FormPage):
    def success_url(self, record: Alert) -> str:
        return self.url("alert-detail", pk=record.pk)


class AlertUpdateView(AlertFormPage):
    template_name = "web/alerts/form.html"

    def saved_message(self) -> str:
        return _("The alert is corrected.")

    def build_form(self, data: Any = None) -> forms.Form:
        return AlertForm(data, mission=self.mission, user=self.user, alert=self.record())

    def write(self, form: AlertForm) -> Alert:
        return alert_services.alert_update(
            alert=self.record(), by=self.user, data=dict(form.cleaned_data)
        )


class AlertAcknowledgeView(AlertFormPage):
    template_name = "web/alerts/acknowledge.html"

    def saved_message(self) -> str:
        return _("The alert is acknowledged.")

    def build_form(self, data: Any = None) -> forms.Form:
        return AcknowledgeForm(data)

    def write(self, form: AcknowledgeForm) -> Alert:
        return alert_services.alert_acknowledge(
            alert=self.record(), by=self.user, at=form.cleaned_data["acknowledged_at"]
        )


class AlertResponseView(AlertFormPage):
    template_name = "web/alerts/response.html"

    def saved_message(self) -> str:
        return _("The response is recorded.")

    def build_form(self, data: Any = None) -> forms.Form:
        return ResponseForm(data, alert=self.record())

    def write(self, form: ResponseForm) -> Alert:
        return alert_services.alert_record_response(
            alert=self.record(), by=self.user, **form.service_arguments()
        )


urlpatterns = [
    path("incidents/", IncidentListView.as_view(), name="incident-list"),
    path("incidents/new/", IncidentCreateView.as_view(), name="incident-create"),
    path("incidents/<int:pk>/", IncidentDetailView.as_view(), name="incident-detail"),
    path("incidents/<int:pk>/edit/", IncidentUpdateView.as_view(), name="incident-update"),
    path("alerts/", AlertListView.as_view(), name="alert-list"),
    path("alerts/new/", AlertCreateView.as_view(), name="alert-create"),
    path("alerts/<int:pk>/", AlertDetailView.as_view(), name="alert-detail"),
    path("alerts/<int:pk>/edit/", AlertUpdateView.as_view(), name="alert-update"),
    path("alerts/<int:pk>/acknowledge/", AlertAcknowledgeView.as_view(), name="alert-acknowledge"),
    path("alerts/<int:pk>/response/", AlertResponseView.as_view(), name="alert-response"),
]
