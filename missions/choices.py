from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionRole(models.TextChoices):
    """A user's role inside one mission (one role per mission)."""

    LEADERSHIP = "leadership", _("Mission leadership")
    POC_ADVISER = "poc_adviser", _("POC adviser")
    JMAC_ANALYST = "jmac_analyst", _("JMAC analyst")
    JOC_OFFICER = "joc_officer", _("JOC officer")
    SECTION_STAFF = "section_staff", _("Section staff")


class AreaKind(models.TextChoices):
    """The three levels of a mission's area hierarchy, from the top down."""

    SECTOR = "sector", _("Sector / region")
    AOR = "aor", _("Area of responsibility")
    LOCALITY = "locality", _("Locality")


class LocalityType(models.TextChoices):
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    IDP_SITE = "idp_site", _("IDP site")
    POC_SITE = "poc_site", _("Protection-of-civilians site")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    """Risk levels of a threat; the score bands are a per-mission setting."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")

    @property
    def css_class(self) -> str:
        return RISK_LEVEL_CSS[self]


RISK_LEVEL_CSS = {
    RiskLevel.LOW: "risk-low",
    RiskLevel.MEDIUM: "risk-medium",
    RiskLevel.HIGH: "risk-high",
    RiskLevel.VERY_HIGH: "risk-very-high",
}
