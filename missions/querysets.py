"""Mission scoping: the one place that decides which rows a user may see or change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

from .permissions import Action, global_allows, roles_allowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    from .models import Area  # noqa: F401 - the type argument of the base class


_M = TypeVar("_M", bound=models.Model)


class MissionScopedQuerySet(models.QuerySet[_M]):
    """A queryset whose rows belong to a mission through `model.mission_field`."""

    @property
    def _mission_path(self) -> str:
        # each scoped model declares its path to the mission; Model itself has none
        path: str = getattr(self.model, "mission_field")  # noqa: B009
        return path

    def for_user(self, user: User | AnonymousUser, action: Action = Action.VIEW) -> Self:
        """Rows of the missions in which `user` may perform `action`; nothing for others."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if global_allows(user, action):
            return self.all()
        from .models import Membership

        mission_ids = Membership.objects.filter(user=user, role__in=roles_allowed(action)).values(
            "mission_id"
        )
        return self.filter(**{f"{self._mission_path}__in": mission_ids})

    def visible_to(self, user: User | AnonymousUser) -> Self:
        return self.for_user(user, Action.VIEW)

    def for_mission(self, mission: models.Model | int) -> Self:
        # An id, not the instance: Mission's own path is `pk`, which refuses model instances.
        mission_id = mission.pk if isinstance(mission, models.Model) else mission
        return self.filter(**{self._mission_path: mission_id})


class AreaQuerySet(MissionScopedQuerySet["Area"]):
    def sectors(self) -> AreaQuerySet:
        return self.filter(kind="sector")

    def localities(self) -> AreaQuerySet:
        return self.filter(kind="locality")

    def within(self, area: models.Model) -> AreaQuerySet:
        """The area and every area below it."""
        return self.filter(models.Q(pk=area.pk) | models.Q(sector=area) | models.Q(aor=area))
