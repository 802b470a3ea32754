"""What every page of the browser app shares: the mission named in its URL and what the user may
do there.

A mission page resolves `/missions/<acronym>/…` through the scoped queryset, so a mission the
user may not see is a 404 like any record of it; the actions come from the one policy
(`missions.permissions.actions_in`), and the templates show each role only what it can do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import cached_property
from django.views.generic.base import ContextMixin

from missions.models import Mission
from missions.permissions import Action, actions_in

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

    from accounts.models import User


class Abilities:
    """What a user may do in a mission, read by templates as `can.log`, `can.validate`, …"""

    def __init__(self, actions: frozenset[Action]) -> None:
        self.actions = actions

    def __getattr__(self, name: str) -> bool:
        try:
            return Action(name) in self.actions
        except ValueError:
            raise AttributeError(name) from None

    def __contains__(self, action: object) -> bool:
        return action in self.actions


class MissionPage(LoginRequiredMixin, ContextMixin):
    """A page of one mission, for users holding `required_action` there (404 to everyone else
    who may not see the mission, 403 to a member whose role lacks the action)."""

    required_action: Action = Action.VIEW
    mission: Mission
    can: Abilities
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.mission = Mission.objects.visible_to(request.user).get(
                acronym__iexact=kwargs["mission"]
            )
        except Mission.DoesNotExist:
            raise Http404 from None
        self.can = Abilities(actions_in(request.user, self.mission.pk))
        if self.required_action not in self.can:
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    @cached_property
    def user(self) -> User:
        user = self.request.user
        assert user.is_authenticated
        return user

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(mission=self.mission, can=self.can)
        return context
