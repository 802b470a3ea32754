from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from commitments.choices import ActionStatus
from core.choices import Component
from core.db import record_date_check
from core.models import SexAgeCounts, TimeStampedModel
from core.validators import validate_record_date
from missions.querysets import MissionScopedQuerySet

from .choices import (
    CommunityGroup,
    PerpetratorCategory,
    ThreatStatus,
    Trend,
    ViolenceType,
)
from .querysets import ThreatQuerySet

SCALE_1_5 = [(n, str(n)) for n in range(1, 6)]


class Perpetrator(models.Model):
    """Who could do, or did, the harm: a category, the named actor, and the host-state flag.

    Host-state forces are flagged in their own stored column: when the mission supports those
    forces, the human rights due diligence policy asks questions of every such record.
    """

    perpetrator_category = models.CharField(
        _("perpetrator category"), max_length=30, choices=PerpetratorCategory.choices
    )
    perpetrator_actor = models.CharField(_("perpetrator (named actor)"), max_length=200, blank=True)
    is_host_state_perpetrator = models.GeneratedField(
        expression=models.Q(perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES),  # type: ignore[arg-type]  # stubs: Expression only; Django takes a Q
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("host-state perpetrator"),
    )

    class Meta:
        abstract = True


class RiskScore(models.Model):
    """A likelihood and an impact, each 1–5, and the risk score they give (1–25).

    A threat carries the scores of its current assessment; each of its assessments keeps the
    scores it had from a day on. The mission's bands turn a score into a level.
    """

    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=SCALE_1_5)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=SCALE_1_5)
    risk_score = models.GeneratedField(
        expression=models.F("likelihood") * models.F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("risk score"),
    )

    class Meta:
        abstract = True

    @staticmethod
    def scale_constraints() -> list[models.BaseConstraint]:
        """The scales' checks, for the concrete models' Meta (abstract Meta lists are not merged
        with a child's own)."""
        return [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="%(app_label)s_%(class)s_likelihood_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5),
                name="%(app_label)s_%(class)s_impact_1_5",
            ),
        ]


class Threat(RiskScore, Perpetrator, TimeStampedModel):
    """What could harm whom, where: the unit of the threat-based approach to POC.

    A threat lives from the day it is identified until it is no longer assessed as one. Its risk
    score is likelihood × impact (1–25); the mission's bands turn the score into a level
    (`Mission.risk_level` for one score, `Threat.objects.with_risk_level()` for a list). A
    host-state perpetrator is flagged: it raises human-rights due-diligence questions when the
    mission supports those forces.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="threats",
        verbose_name=_("mission"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    threat_type = models.CharField(_("type"), max_length=40, choices=ViolenceType.choices)
    areas = models.ManyToManyField(
        "missions.Area", related_name="threats", verbose_name=_("affected areas"), blank=True
    )
    trend = models.CharField(_("trend"), max_length=20, choices=Trend.choices, default=Trend.STABLE)
    phase = models.ForeignKey(
        "commitments.Phase",
        on_delete=models.PROTECT,
        related_name="threats",
        verbose_name=_("phase of response"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ThreatStatus.choices, default=ThreatStatus.EMERGING
    )
    identified_on = models.DateField(_("identified on"), validators=[validate_record_date])
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("The day it was no longer assessed as a threat."),
        validators=[validate_record_date],
    )
    warning_signs = models.TextField(
        _("early-warning indicators to watch"),
        blank=True,
        help_text=_("Signs that the threat is about to materialise."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_threats",
        verbose_name=_("owner"),
    )
    next_review_on = models.DateField(
        _("next review on"), null=True, blank=True, validators=[validate_record_date]
    )

    mission_field = "mission"
    objects = ThreatQuerySet.as_manager()

    class Meta:
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        ordering = ["mission", "-risk_score", "title"]
        constraints = [
            record_date_check("identified_on"),
            record_date_check("closed_on"),
            record_date_check("next_review_on"),
            *RiskScore.scale_constraints(),
            models.CheckConstraint(
                condition=models.Q(status__in=ThreatStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(threat_type__in=ViolenceType.values),
                name="%(app_label)s_%(class)s_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(perpetrator_category__in=PerpetratorCategory.values),
                name="%(app_label)s_%(class)s_perpetrator_category_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=ThreatStatus.RESOLVED) & models.Q(closed_on__isnull=False)
                )
                | (~models.Q(status=ThreatStatus.RESOLVED) & models.Q(closed_on__isnull=True)),
                name="%(app_label)s_%(class)s_closed_when_resolved",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("identified_on")),
                name="%(app_label)s_%(class)s_closed_after_identified",
            ),
            # the target of the composite foreign keys that keep the records linked to a
            # threat in its mission (core.migration_operations.SameMissionForeignKey)
            models.UniqueConstraint(
                fields=["id", "mission"], name="%(app_label)s_%(class)s_unique_id_mission"
            ),
        ]
        indexes = [
            # register and dashboard: a mission's open threats by status, highest risk first
            models.Index(
                fields=["mission", "status", "-risk_score"], name="threats_mission_status_idx"
            ),
            # review reminders: threats due for review
            models.Index(fields=["next_review_on"], name="threats_next_review_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.closed_on and self.identified_on and self.closed_on < self.identified_on:
            raise ValidationError(
                {"closed_on": _("A threat cannot close before it is identified.")}
            )
        if (self.status == ThreatStatus.RESOLVED) != bool(self.closed_on):
            raise ValidationError(
                {"closed_on": _("Give the closing date when, and only when, a threat is resolved.")}
            )


class OfThreatMission(models.Model):
    """A row below a threat that carries its threat's mission, so that the database can hold
    the two together with a composite foreign key (`core.migration_operations`)."""

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        editable=False,
        related_name="+",
        verbose_name=_("mission"),
        help_text=_("Always the threat's mission."),
    )

    class Meta:
        abstract = True


class CommunityAtRisk(OfThreatMission, SexAgeCounts, TimeStampedModel):
    """A community a threat puts at risk, with its population at risk by sex and age.

    It carries its threat's mission so that the database can hold its threat and its area to
    that one mission, with composite foreign keys (`core.migration_operations`).
    """

    threat = models.ForeignKey(
        Threat,
        on_delete=models.CASCADE,
        related_name="communities",
        verbose_name=_("threat"),
    )
    name = models.CharField(_("community"), max_length=200)
    group = models.CharField(
        _("group"), max_length=20, choices=CommunityGroup.choices, default=CommunityGroup.RESIDENTS
    )
    area = models.ForeignKey(
        "missions.Area",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("community at risk")
        verbose_name_plural = _("communities at risk")
        ordering = ["threat", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.area is not None
            and self.threat_id
            and self.area.mission_id != self.threat.mission_id
        ):
            raise ValidationError({"area": _("This belongs to another mission.")})


class ResponseAction(TimeStampedModel):
    """One action of a threat's response plan: what a component does, in which tier and phase."""

    threat = models.ForeignKey(
        Threat,
        on_delete=models.CASCADE,
        related_name="response_actions",
        verbose_name=_("threat"),
    )
    tier = models.ForeignKey(
        "commitments.Tier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tier"),
    )
    phase = models.ForeignKey(
        "commitments.Phase",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phase"),
    )
    description = models.TextField(_("action"))
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    lead = models.CharField(_("lead"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, validators=[validate_record_date])

    mission_field = "threat__mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("response action")
        verbose_name_plural = _("response plan")
        ordering = ["threat", "tier__number", "due_on", "pk"]
        constraints = [
            record_date_check("due_on"),
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ThreatAssessment(OfThreatMission, RiskScore):
    """One scoring of a threat: its likelihood, impact, trend and phase from a day on.

    A threat's assessments form its risk history. Each runs from `valid_from` (the day it took
    effect) to `valid_to` (the day the next one did; NULL for the one in force), so that the
    figures of a past period read the score in force at its end with a plain range test
    (`indicators.rollups.facts.high_risk_threats`) instead of today's score. Only the threat
    services write them (`threats.services`), one per threat and day. It carries its threat's
    mission so that the database can hold the two together (`core.migration_operations`).
    """

    threat = models.ForeignKey(
        Threat,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("threat"),
    )
    valid_from = models.DateField(
        _("in force from"),
        help_text=_("The day this assessment took effect."),
        validators=[validate_record_date],
    )
    valid_to = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("The day the next assessment took effect; empty while this one is in force."),
        validators=[validate_record_date],
    )
    trend = models.CharField(_("trend"), max_length=20, choices=Trend.choices, default=Trend.STABLE)
    phase = models.ForeignKey(
        "commitments.Phase",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phase of response"),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("threat assessment")
        verbose_name_plural = _("risk history")
        ordering = ["threat", "-valid_from"]
        constraints = [
            record_date_check("valid_from"),
            record_date_check("valid_to"),
            *RiskScore.scale_constraints(),
            models.CheckConstraint(
                condition=models.Q(trend__in=Trend.values),
                name="%(app_label)s_%(class)s_trend_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_to_after_valid_from",
            ),
            # also the index of the rollup join, which looks up a threat's assessments by
            # valid_from: a second index on the same columns would only slow the writes
            models.UniqueConstraint(
                fields=["threat", "valid_from"], name="%(app_label)s_%(class)s_one_per_day"
            ),
            # the one in force: the figures of today and of running periods read it
            models.UniqueConstraint(
                fields=["threat"],
                condition=models.Q(valid_to__isnull=True),
                name="%(app_label)s_%(class)s_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.threat} ({self.valid_from})"

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_from and self.valid_to <= self.valid_from:
            raise ValidationError(
                {"valid_to": _("An assessment ends after the day it took effect.")}
            )
