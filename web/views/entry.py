"""The JOC's period-entry grid: figures of a week or a month logged as drafts, then submitted.

The page works as a plain form posted here; its script (static/web/entry.js) sends each entry
to the API instead, keeping it in the browser until the server has it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from missions.permissions import Action
from web.entry import PeriodForm, browser_config, browser_text, grid_for, returned_periods
from web.entry_form import GridForm, save_grid, submit_grid
from web.pages import MissionPage


class ObservationEntryView(MissionPage, TemplateView):
    required_action = Action.LOG
    template_name = "web/entry/entry.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        period_form, grid = grid_for(query=request.GET, user=self.user, mission=self.mission)
        return self.show(period_form, GridForm(grid=grid))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        period_form, grid = grid_for(query=request.GET, user=self.user, mission=self.mission)
        form = GridForm(request.POST, grid=grid)
        if form.is_valid():
            saved = save_grid(form=form, by=self.user)
            if saved:
                messages.success(request, _("Figures saved as drafts: %(n)s.") % {"n": saved})
        if not form.errors and request.POST.get("action") == "submit":
            submitted, refused = submit_grid(grid=grid, by=self.user)
            message = ngettext(
                "%(n)s observation submitted for validation.",
                "%(n)s observations submitted for validation.",
                submitted,
            )
            messages.success(request, message % {"n": submitted})
            for refusal in refused:
                messages.error(request, refusal)
        if form.errors:
            return self.show(period_form, form, status=400)
        return HttpResponseRedirect(request.get_full_path())

    def show(self, period_form: PeriodForm, form: GridForm, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            period_form=period_form,
            form=form,
            grid=form.grid,
            blocks=form.blocks(),
            config=browser_config(form.grid, self.user),
            text=browser_text(),
            returned=returned_periods(user=self.user, mission=self.mission),
        )
        return self.render_to_response(context, status=status)


urlpatterns = [path("", ObservationEntryView.as_view(), name="entry")]
