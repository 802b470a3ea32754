"""The validation queue: POC advisers validate, return or reopen observations, one or many."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from missions.permissions import Action
from web.pages import MissionPage
from web.validation import RETURN, VALIDATE, ReviewForm, queue_filters, review, reviewable

PAGE_SIZE = 100


def _done(action: str, n: int) -> str:
    if action == VALIDATE:
        said = ngettext("%(n)s observation validated.", "%(n)s observations validated.", n)
    elif action == RETURN:
        said = ngettext(
            "%(n)s observation returned for correction.",
            "%(n)s observations returned for correction.",
            n,
        )
    else:
        said = ngettext("%(n)s observation reopened.", "%(n)s observations reopened.", n)
    return said % {"n": n}


class ValidationQueueView(MissionPage, TemplateView):
    required_action = Action.VALIDATE
    template_name = "web/validation/queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = queue_filters(query=self.request.GET, user=self.user, mission=self.mission)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        queryset = reviewable(user=self.user, mission=self.mission)
        context.update(
            filterset=filterset,
            page=page,
            state=filterset.form.cleaned_data.get("state") if filterset.is_valid() else [],
            form=kwargs.get("form") or ReviewForm(queryset=queryset),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queryset = reviewable(user=self.user, mission=self.mission)
        form = ReviewForm(request.POST, queryset=queryset)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        outcome = review(form=form, by=self.user)
        if outcome.done:
            messages.success(request, _done(form.cleaned_data["action"], outcome.done))
        for refusal in outcome.refused:
            messages.error(request, refusal)
        return HttpResponseRedirect(request.get_full_path())


urlpatterns = [path("", ValidationQueueView.as_view(), name="validation")]
