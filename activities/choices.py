from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityType(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    COMMUNITY_ENGAGEMENT = "community_engagement", _("Community engagement meeting")
    DIALOGUE_ARMED_GROUPS = "dialogue_armed_groups", _("Dialogue with armed groups")
    DIALOGUE_AUTHORITIES = "dialogue_authorities", _("Dialogue with authorities")
    STRATEGIC_COMMUNICATION = "strategic_communication", _("Strategic communication campaign")
    CVR_PROJECT = "cvr_project", _("Community violence reduction project")
    CAPACITY_BUILDING = "capacity_building", _("Training and capacity building")
    OTHER = "other", _("Other")
