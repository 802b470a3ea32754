from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models

from core.db import count_related
from missions.choices import RiskLevel
from missions.querysets import MissionScopedQuerySet

from .choices import OPEN_THREAT_STATUSES, PerpetratorCategory, ThreatStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    from .models import Threat  # noqa: F401 - the type argument of the base class


class ThreatQuerySet(MissionScopedQuerySet["Threat"]):
    def open(self) -> ThreatQuerySet:
        """Threats still assessed as threats (emerging, active or contained)."""
        return self.filter(status__in=OPEN_THREAT_STATUSES)

    def active(self) -> ThreatQuerySet:
        return self.filter(status=ThreatStatus.ACTIVE)

    def host_state(self) -> ThreatQuerySet:
        return self.filter(perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES)

    def high_risk(self) -> ThreatQuerySet:
        """Threats at or above their mission's high-risk band."""
        return self.filter(risk_score__gte=models.F("mission__risk_high_from"))

    def by_risk(self) -> ThreatQuerySet:
        return self.order_by("-risk_score", "next_review_on")

    def due_for_review(self, on: datetime.date) -> ThreatQuerySet:
        """Open threats whose next review falls on or before `on`."""
        return self.open().filter(next_review_on__lte=on)

    def with_risk_level(self) -> ThreatQuerySet:
        """Annotate `risk_level` (a RiskLevel value) from the score and the mission's bands.

        The same rule as `Mission.risk_level`, in SQL: a list of threats joins its missions
        once instead of loading each threat's mission to classify it.
        """
        return self.annotate(
            risk_level=models.Case(
                models.When(
                    risk_score__gte=models.F("mission__risk_very_high_from"),
                    then=models.Value(RiskLevel.VERY_HIGH.value),
                ),
                models.When(
                    risk_score__gte=models.F("mission__risk_high_from"),
                    then=models.Value(RiskLevel.HIGH.value),
                ),
                models.When(
                    risk_score__gte=models.F("mission__risk_medium_from"),
                    then=models.Value(RiskLevel.MEDIUM.value),
                ),
                default=models.Value(RiskLevel.LOW.value),
                output_field=models.CharField(),
            )
        )

    def with_counts(self, user: User | AnonymousUser) -> ThreatQuerySet:
        """Annotate `incident_count`, `alert_count` and `activity_count` linked to each threat.

        Only the records `user` may see are counted, so a restricted incident the user has no
        need to know of does not show through a count, and every count matches the list it
        stands for. Each count is its own subquery: no join fans out the others.
        """
        # Imported here: these apps' models import threats, whose models import this module.
        from activities.models import ProtectionActivity
        from alerts.models import Alert
        from incidents.models import Incident

        return self.annotate(
            incident_count=count_related(
                Incident, "threat", pk__in=Incident.objects.visible_to(user).values("pk")
            ),
            alert_count=count_related(
                Alert, "threat", pk__in=Alert.objects.visible_to(user).values("pk")
            ),
            activity_count=count_related(
                ProtectionActivity,
                "threat",
                pk__in=ProtectionActivity.objects.visible_to(user).values("pk"),
            ),
        )
