"""The leadership dashboard of a mission."""

from __future__ import annotations

from django.urls import path
from django.views.generic import TemplateView

from web.pages import MissionPage


class DashboardView(MissionPage, TemplateView):
    template_name = "web/dashboard/dashboard.html"


urlpatterns = [path("", DashboardView.as_view(), name="dashboard")]
