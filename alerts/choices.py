from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertSource(models.TextChoices):
    """Who raised an early-warning alert."""

    COMMUNITY_ALERT_NETWORK = "community_alert_network", _("Community alert network")
    LOCAL_PROTECTION_COMMITTEE = "local_protection_committee", _("Local protection committee")
    COMMUNITY_LIAISON = "community_liaison", _("Community liaison assistant")
    PATROL = "patrol", _("Patrol")
    PARTNER = "partner", _("Partner")
    COMMUNITY_MEMBER = "community_member", _("Community member")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")

    @property
    def css_class(self) -> str:
        return SEVERITY_CSS[self]


SEVERITY_CSS = {
    Severity.LOW: "severity-low",
    Severity.MEDIUM: "severity-medium",
    Severity.HIGH: "severity-high",
    Severity.CRITICAL: "severity-critical",
}


class AlertOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    VIOLENCE_AVERTED = "violence_averted", _("Violence averted")
    HARM_MITIGATED = "harm_mitigated", _("Harm mitigated")
    VIOLENCE_OCCURRED = "violence_occurred", _("Violence occurred")
    FALSE_ALARM = "false_alarm", _("False alarm")
    NO_RESPONSE_POSSIBLE = "no_response_possible", _("No response possible")
