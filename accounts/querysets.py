"""Which people a user may see: those of the missions they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from missions.permissions import Action, global_allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: User | AnonymousUser) -> UserQuerySet:
        """Members of the missions `user` may see, and `user`; everyone for administrators.

        User lists and pickers read this, so nobody learns the names and e-mails of another
        mission's staff.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if global_allows(user, Action.ADMINISTER):
            return self.all()
        from missions.models import Membership, Mission

        missions = Mission.objects.visible_to(user).values("pk")
        colleagues = Membership.objects.filter(mission__in=missions).values("user_id")
        return self.filter(models.Q(pk=user.pk) | models.Q(pk__in=colleagues))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # the plugin cannot follow from_queryset() on the generic UserManager in a base
    pass
