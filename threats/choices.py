from django.db import models
from django.utils.translation import gettext_lazy as _


class ViolenceType(models.TextChoices):
    """What could harm civilians (a threat) or did (an incident)."""

    KILLING_MAIMING = "killing_maiming", _("Killing and maiming")
    SEXUAL_VIOLENCE = "sexual_violence", _("Conflict-related sexual violence")
    ABDUCTION = "abduction", _("Abduction")
    CHILD_RECRUITMENT = "child_recruitment", _("Recruitment and use of children")
    ATTACK_SCHOOLS_HOSPITALS = "attack_schools_hospitals", _("Attack on schools or hospitals")
    DENIAL_HUMANITARIAN_ACCESS = "denial_humanitarian_access", _("Denial of humanitarian access")
    DESTRUCTION_LOOTING = "destruction_looting", _("Destruction and looting")
    FORCED_DISPLACEMENT = "forced_displacement", _("Forced displacement")
    INTERCOMMUNAL_VIOLENCE = "intercommunal_violence", _("Inter-communal violence")
    ARBITRARY_DETENTION = "arbitrary_detention", _("Arbitrary arrest and detention")
    EXPLOSIVE_HAZARD = "explosive_hazard", _("Explosive ordnance")
    OTHER = "other", _("Other")


# Records of these types are need-to-know: survivors' consent governs who sees them.
RESTRICTED_VIOLENCE_TYPES = frozenset(
    {ViolenceType.SEXUAL_VIOLENCE, ViolenceType.CHILD_RECRUITMENT}
)


class PerpetratorCategory(models.TextChoices):
    NON_STATE_ARMED_GROUP = "non_state_armed_group", _("Non-state armed group")
    HOST_STATE_FORCES = "host_state_forces", _("Host-state security forces")
    # another state's army or police: never counted with the host state's own forces
    FOREIGN_STATE_FORCES = "foreign_state_forces", _("Foreign state forces")
    COMMUNAL_MILITIA = "communal_militia", _("Communal militia")
    CRIMINAL_GROUP = "criminal_group", _("Criminal group")
    UNKNOWN = "unknown", _("Unknown")


class ThreatStatus(models.TextChoices):
    EMERGING = "emerging", _("Emerging")
    ACTIVE = "active", _("Active")
    CONTAINED = "contained", _("Contained")
    RESOLVED = "resolved", _("Resolved")

    @property
    def css_class(self) -> str:
        return THREAT_STATUS_CSS[self]


THREAT_STATUS_CSS = {
    ThreatStatus.EMERGING: "status-warning",
    ThreatStatus.ACTIVE: "status-bad",
    ThreatStatus.CONTAINED: "status-info",
    ThreatStatus.RESOLVED: "status-done",
}

# Threats still assessed as threats: the register's default view and the dashboards.
OPEN_THREAT_STATUSES = (ThreatStatus.EMERGING, ThreatStatus.ACTIVE, ThreatStatus.CONTAINED)


class Trend(models.TextChoices):
    INCREASING = "increasing", _("Increasing")
    STABLE = "stable", _("Stable")
    DECREASING = "decreasing", _("Decreasing")


class CommunityGroup(models.TextChoices):
    """The kind of community at risk, beside its sex and age make-up."""

    RESIDENTS = "residents", _("Residents")
    IDPS = "idps", _("Internally displaced people")
    REFUGEES = "refugees", _("Refugees")
    RETURNEES = "returnees", _("Returnees")
    MINORITY = "minority", _("Minority group")
    OTHER = "other", _("Other")
