"""The leadership dashboard of a mission: its figures for a period and a place (web.dashboard)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import render
from django.urls import path
from django.views.generic import TemplateView

from web import dashboard
from web.pages import MissionPage

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class DashboardView(MissionPage, TemplateView):
    template_name = "web/dashboard/dashboard.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            board = dashboard.build(user=self.user, mission=self.mission, params=request.GET)
        except dashboard.BadSelection as error:
            context = self.get_context_data(message=str(error))
            return render(request, "web/dashboard/bad_selection.html", context, status=400)
        return self.render_to_response(self.get_context_data(board=board))


urlpatterns = [path("", DashboardView.as_view(), name="dashboard")]
