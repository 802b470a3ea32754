"""Template context every page gets: the missions the user may switch between."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.functional import SimpleLazyObject

from missions.models import Mission

if TYPE_CHECKING:
    from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's missions for the switcher, read only by a page that shows them."""
    if not request.user.is_authenticated:
        return {}
    missions = Mission.objects.visible_to(request.user).only("acronym", "name")
    return {"switch_missions": SimpleLazyObject(lambda: list(missions.order_by("acronym")))}
