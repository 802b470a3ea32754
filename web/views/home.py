"""`/`: each user's home, what needs them in their missions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView

from missions.permissions import Action, global_allows
from web.needs import memberships, needs_of

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's missions, each with what needs them there; a global reader with no
    membership goes straight to the missions side by side."""

    template_name = "web/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.memberships = memberships(request.user)  # type: ignore[arg-type]  # signed in
        self.global_reader = global_allows(request.user, Action.VIEW)
        if not self.memberships and self.global_reader:
            return redirect("web:secretariat")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        needs = needs_of(self.request.user, self.memberships)  # type: ignore[arg-type]  # signed in
        return super().get_context_data(
            needs=needs,
            nothing_waiting=not any(n.items for n in needs),
            global_reader=self.global_reader,
            **kwargs,
        )


urlpatterns = [path("", HomeView.as_view(), name="home")]
