from __future__ import annotations

from django.db import models

from missions.querysets import MissionScopedQuerySet

from .choices import OPEN_THREAT_STATUSES, PerpetratorCategory, ThreatStatus


class ThreatQuerySet(MissionScopedQuerySet):
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
