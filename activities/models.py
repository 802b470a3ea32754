from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Component
from core.db import record_date_check
from core.models import SexAgeCounts, TimeStampedModel
from core.validators import validate_record_date
from missions.models import InMissionArea
from missions.querysets import MissionScopedQuerySet

from .choices import ActivityType


class ProtectionActivity(InMissionArea, SexAgeCounts, TimeStampedModel):
    """Something the mission did to protect civilians, and the people it reached.

    Patrols, community engagement, dialogue with armed groups or authorities, strategic
    communication campaigns, community violence reduction projects: each in a tier and a phase.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("mission"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    area = models.ForeignKey(
        "missions.Area",
        on_delete=models.RESTRICT,
        related_name="activities",
        verbose_name=_("area"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    activity_type = models.CharField(_("type"), max_length=40, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    tier = models.ForeignKey(
        "commitments.Tier",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("tier"),
    )
    phase = models.ForeignKey(
        "commitments.Phase",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("phase"),
    )
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    started_on = models.DateField(_("started on"), validators=[validate_record_date])
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, validators=[validate_record_date]
    )
    threat = models.ForeignKey(
        "threats.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("threat addressed"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("protection activity")
        verbose_name_plural = _("protection activities")
        ordering = ["-started_on", "-pk"]
        constraints = [
            record_date_check("started_on"),
            record_date_check("ended_on"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(activity_type__in=ActivityType.values),
                name="%(app_label)s_%(class)s_type_valid",
            ),
        ]
        indexes = [
            # rollups and dashboards: a mission's activities by date, tier and phase
            models.Index(fields=["mission", "started_on"], name="activities_mission_date_idx"),
            models.Index(fields=["area", "started_on"], name="activities_area_date_idx"),
            # the API's list: a mission's activities a page at a time, newest id first
            models.Index(fields=["mission", "id"], name="activities_page_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("An activity cannot end before it starts.")})
