from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models

from missions.permissions import Action, global_allows
from missions.querysets import MissionScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    from .models import Incident  # noqa: F401 - the type argument of the base class


class IncidentQuerySet(MissionScopedQuerySet["Incident"]):
    def for_user(
        self, user: User | AnonymousUser, action: Action = Action.VIEW
    ) -> IncidentQuerySet:
        """Mission scoping, and restricted incidents only on a need-to-know basis.

        Sexual violence and grave violations against children are seen by the roles allowed to
        view restricted records, and by whoever logged them.
        """
        scoped = super().for_user(user, action)
        if not user.is_authenticated or global_allows(user, Action.VIEW_RESTRICTED):
            return scoped
        cleared = super().for_user(user, Action.VIEW_RESTRICTED).values("pk")
        return scoped.filter(
            models.Q(is_restricted=False) | models.Q(pk__in=cleared) | models.Q(reported_by=user)
        )

    def between(self, start: datetime.date, end: datetime.date) -> IncidentQuerySet:
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)

    def host_state(self) -> IncidentQuerySet:
        return self.filter(is_host_state_perpetrator=True)

    def counted(self) -> IncidentQuerySet:
        """Incidents that count in figures: everything but discredited reports."""
        return self.exclude(verification_status="discredited")
