from django.db import models
from django.utils.translation import gettext_lazy as _


class Harm(models.TextChoices):
    """What happened to civilians in an incident; each is counted by sex and age."""

    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")
    ABDUCTED = "abducted", _("Abducted")
    SEXUAL_VIOLENCE = "sv", _("Survivors of sexual violence")


# The groups incident casualties are counted in: the four sex-age groups and "unknown".
CASUALTY_GROUPS = ("women", "men", "girls", "boys", "unknown")


def casualty_field(harm: str, group: str) -> str:
    """Name of the column counting `harm` among `group`, e.g. killed_women."""
    return f"{harm}_{group}"


class VerificationStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    UNVERIFIED = "unverified", _("Could not be verified")
    DISCREDITED = "discredited", _("Discredited")


class SourceType(models.TextChoices):
    UN_PATROL = "un_patrol", _("UN patrol")
    COMMUNITY_ALERT_NETWORK = "community_alert_network", _("Community alert network")
    COMMUNITY_LIAISON = "community_liaison", _("Community liaison assistant")
    LOCAL_PROTECTION_COMMITTEE = "local_protection_committee", _("Local protection committee")
    HUMAN_RIGHTS_MONITORING = "human_rights_monitoring", _("Human rights monitoring")
    PARTNER = "partner", _("Humanitarian or UN partner")
    HOST_AUTHORITIES = "host_authorities", _("Host-state authorities")
    MEDIA = "media", _("Media")
    OPEN_DATA = "open_data", _("Public conflict-event data")
    OTHER = "other", _("Other")


class SourceReliability(models.TextChoices):
    """Reliability of the source (admiralty scale, A to F)."""

    A = "A", _("A — Completely reliable")
    B = "B", _("B — Usually reliable")
    C = "C", _("C — Fairly reliable")
    D = "D", _("D — Not usually reliable")
    E = "E", _("E — Unreliable")
    F = "F", _("F — Reliability cannot be judged")


class Precision(models.TextChoices):
    """How precisely the date or the place of an incident is known."""

    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")
    REGION = "region", _("Region or period only")
