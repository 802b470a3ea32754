"""Rollups: the figures leadership dashboards and Secretariat reports read."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import SexAge
from missions.querysets import MissionScopedQuerySet

from ..choices import AreaLevel, PeriodKind, TargetStatus
from .catalogue import Indicator


class Rollup(models.Model):
    """An indicator's figure for a mission or one of its areas, a period and a disaggregation.

    `value` counts official data only (validated observations, verified incidents, all alerts,
    threats and activities); `provisional_value` adds what is still awaiting validation. A
    `breakdown` splits a figure further ("type:abduction", "perpetrator:host_state_forces",
    "tier:2", "risk:high"); the empty breakdown is the headline figure. Each row says when it was
    computed and the newest source change it includes, so every figure can say "as of".

    A running or partly recorded period says how many of its days it covers; its target is
    pro-rated to them, and its previous value, for a flow, is the previous period's figure over
    the same span (the year to date against the same days of the year before).
    """

    # Rollups are derived rows the engine rewrites in bulk: no foreign-key triggers to check
    # per row (deletes still cascade, through the ORM), and the unique index below, which
    # starts with indicator and mission, serves their lookups.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="rollups",
        verbose_name=_("indicator"),
        db_constraint=False,
        db_index=False,
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="rollups",
        verbose_name=_("mission"),
        db_constraint=False,
        db_index=False,
    )
    area = models.ForeignKey(
        "missions.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rollups",
        verbose_name=_("area"),
        help_text=_("Empty for the whole mission."),
        db_constraint=False,
    )
    # NULL is never equal to NULL in a unique index; area_key (0 for the whole mission) is.
    area_key = models.GeneratedField(
        expression=models.functions.Coalesce("area_id", 0),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("area key"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=AreaLevel.choices)
    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    disaggregation = models.CharField(_("disaggregation"), max_length=10, choices=SexAge.choices)
    breakdown = models.CharField(_("breakdown"), max_length=80, blank=True, default="")
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Official figure: validated or verified data only."),
    )
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    provisional_value = models.DecimalField(
        _("provisional value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Including data submitted but not yet validated."),
    )
    official_count = models.PositiveIntegerField(_("official records"), default=0)
    provisional_count = models.PositiveIntegerField(_("records incl. provisional"), default=0)
    previous_value = models.DecimalField(
        _("previous period value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    change = models.DecimalField(
        _("change from previous period"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TargetStatus.choices, default=TargetStatus.NO_TARGET
    )
    # Completeness of hand-logged indicators (empty for derived ones): the reports the
    # indicator's frequency asks of the places that report it, in the bucket's elapsed part.
    expected_reports = models.PositiveIntegerField(_("reports expected"), null=True, blank=True)
    received_reports = models.PositiveIntegerField(_("reports received"), null=True, blank=True)
    on_time_reports = models.PositiveIntegerField(_("reports on time"), null=True, blank=True)
    validated_reports = models.PositiveIntegerField(_("reports validated"), null=True, blank=True)
    covered_days = models.PositiveIntegerField(
        _("days covered"),
        default=0,
        help_text=_(
            "Days of the period gone by and within the mission's records: fewer than the "
            "period's days for a running or partly recorded period, whose targets are "
            "pro-rated to them."
        ),
    )
    source_changed_at = models.DateTimeField(
        _("newest source change"),
        null=True,
        blank=True,
        help_text=_("When the newest record this figure includes was last changed."),
    )
    computed_at = models.DateTimeField(_("computed at"))

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        ordering = ["indicator", "mission", "level", "area", "period", "period_start"]
        constraints = [
            # also the index of refreshes: an indicator's buckets in a mission and its areas
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "mission",
                    "area_key",
                    "period",
                    "period_start",
                    "disaggregation",
                    "breakdown",
                ],
                name="%(app_label)s_%(class)s_one_per_bucket",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="%(app_label)s_%(class)s_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(official_count__lte=models.F("provisional_count")),
                name="%(app_label)s_%(class)s_official_within_provisional",
            ),
        ]
        indexes = [
            # dashboards and reports: a mission's figures for a period
            models.Index(
                fields=["mission", "period", "period_start"], name="indicators_rollup_period_idx"
            ),
            # the API's list: a mission's rollups a page at a time in the cursor's order
            # (newest id first). The rebuild writes missions one after another, so without it
            # the primary key is walked back through every later mission's rows.
            models.Index(fields=["mission", "id"], name="indicators_rollup_page_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator.code} {self.area or self.mission} {self.period} {self.period_start}"
        )


class RollupDay(models.Model):
    """The mission-local day a mission's running figures were last dated on.

    Stock figures of running periods stand "as of" the mission's today, and running periods'
    targets are pro-rated to the days gone by: both move at the mission's local midnight, with
    no record changing. The day roll after it recomputes them and moves this day on.
    """

    mission = models.OneToOneField(
        "missions.Mission",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rollup_day",
        verbose_name=_("mission"),
    )
    day = models.DateField(_("figures dated"), editable=False)

    class Meta:
        verbose_name = _("rollup day")
        verbose_name_plural = _("rollup days")

    def __str__(self) -> str:
        return f"{self.mission_id} {self.day}"


class RollupStamp(models.Model):
    """When a mission's figures last changed: written with every refresh and rebuild.

    Reports answer a conditional GET from it (ETag, Last-Modified) without reading rollups.
    """

    mission = models.OneToOneField(
        "missions.Mission",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rollup_stamp",
        verbose_name=_("mission"),
    )
    changed_at = models.DateTimeField(_("figures changed at"), editable=False)

    class Meta:
        verbose_name = _("rollup stamp")
        verbose_name_plural = _("rollup stamps")

    def __str__(self) -> str:
        return f"{self.mission_id} {self.changed_at:%Y-%m-%d %H:%M:%S}"


class PendingRollupWork(models.Model):
    """Rollup work a committed change asked for, kept until a task has done it.

    Written when the change commits, before its task goes to the broker, and deleted by that
    task once done: the work a broker never took (stopped) or lost (restarted empty) stays
    here, and the sweep (`indicators.tasks.sweep_rollup_work_task`) does it from the database.
    """

    created_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    # a mission's rebuild, or a refresh of bucket ranges (BucketRange keys)
    rebuild_mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission to rebuild"),
    )
    bucket_keys = models.JSONField(_("bucket ranges to refresh"), default=list, blank=True)

    class Meta:
        verbose_name = _("pending rollup work")
        verbose_name_plural = _("pending rollup work")

    def __str__(self) -> str:
        if self.rebuild_mission_id is not None:
            return f"rebuild {self.rebuild_mission_id}"
        return f"refresh {len(self.bucket_keys)} ranges"
