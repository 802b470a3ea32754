"""Hand-logged values of indicators, their disaggregation, and the history of their states."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import SexAge
from core.db import client_id_field, client_id_unique, record_date_check
from core.models import TimeStampedModel
from core.validators import validate_record_date
from missions.models import InMissionArea
from missions.querysets import MissionScopedQuerySet

from ..choices import ObservationState
from .catalogue import Indicator


class Observation(InMissionArea, TimeStampedModel):
    """One value of an indicator for a mission (or one of its areas) over one period.

    Its figures, by sex and age where the indicator asks for it, are its values. Draft and
    submitted values are provisional; only validated ones count in official figures. A validated
    observation is locked until a POC adviser reopens it, and its transitions keep both values.
    """

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("indicator"),
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("mission"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    area = models.ForeignKey(
        "missions.Area",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("area"),
        help_text=_("Leave empty for a figure that covers the whole mission."),
    )
    period_start = models.DateField(_("period start"), validators=[validate_record_date])
    period_end = models.DateField(_("period end"), validators=[validate_record_date])
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ObservationState.choices,
        default=ObservationState.DRAFT,
    )
    note = models.TextField(_("note"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    client_id = client_id_field()

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-period_start", "indicator"]
        constraints = [
            record_date_check("period_start"),
            record_date_check("period_end"),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="%(app_label)s_%(class)s_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ObservationState.values),
                name="%(app_label)s_%(class)s_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ObservationState.VALIDATED)
                | models.Q(validated_at__isnull=False),
                name="%(app_label)s_%(class)s_validated_has_time",
            ),
            # Two constraints, because NULL areas are never equal in a unique index.
            models.UniqueConstraint(
                fields=["indicator", "area", "period_start"],
                condition=models.Q(area__isnull=False),
                name="%(app_label)s_%(class)s_one_per_area_period",
            ),
            client_id_unique(),
            models.UniqueConstraint(
                fields=["indicator", "mission", "period_start"],
                condition=models.Q(area__isnull=True),
                name="%(app_label)s_%(class)s_one_per_mission_period",
            ),
        ]
        indexes = [
            # rollups and the JOC entry grid: a mission's observations of an indicator by period
            models.Index(
                fields=["mission", "indicator", "period_start"], name="indicators_obs_mission_idx"
            ),
            # validation queue: a mission's submitted observations
            models.Index(fields=["mission", "state"], name="indicators_obs_state_idx"),
            # rollup refreshes: an indicator's observations in a mission ending from a day on
            models.Index(
                fields=["indicator", "mission", "period_end"], name="indicators_obs_refresh_idx"
            ),
            # the API's list: a mission's observations a page at a time, newest id first
            # (without it the primary key is walked back through other missions' rows)
            models.Index(fields=["mission", "id"], name="indicators_obs_page_idx"),
        ]

    def __str__(self) -> str:
        where = self.area or self.mission
        return f"{self.indicator.code} {where} {self.period_start}"

    @property
    def is_locked(self) -> bool:
        return self.state == ObservationState.VALIDATED

    @property
    def is_editable(self) -> bool:
        """Its figures can be corrected: a draft, or returned for correction."""
        return self.state in (ObservationState.DRAFT, ObservationState.RETURNED)


class ObservationValue(models.Model):
    """One figure of an observation, for one sex-age group or the total.

    A plain value, or for ratio indicators a numerator and a denominator. Indicators without
    disaggregation have only a total.
    """

    observation = models.ForeignKey(
        Observation,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("observation"),
    )
    disaggregation = models.CharField(
        _("disaggregation"), max_length=10, choices=SexAge.choices, default=SexAge.TOTAL
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    mission_field = "observation__mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation value")
        verbose_name_plural = _("observation values")
        ordering = ["observation", "disaggregation"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "disaggregation"],
                name="%(app_label)s_%(class)s_one_per_disaggregation",
            ),
            models.CheckConstraint(
                condition=models.Q(disaggregation__in=SexAge.values),
                name="%(app_label)s_%(class)s_disaggregation_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="%(app_label)s_%(class)s_value_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True) | models.Q(numerator__gte=0),
                name="%(app_label)s_%(class)s_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="%(app_label)s_%(class)s_denominator_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False)
                | models.Q(numerator__isnull=False, denominator__isnull=False),
                name="%(app_label)s_%(class)s_has_a_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_disaggregation_display()}: {self.value}"


class ObservationTransition(models.Model):
    """One change of an observation's state, with who made it, why, and the values at the time.

    Reopening a validated observation leaves the validated values here, so the history shows
    both the old and the new figures.
    """

    observation = models.ForeignKey(
        Observation,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("observation"),
    )
    from_state = models.CharField(_("from state"), max_length=20, choices=ObservationState.choices)
    to_state = models.CharField(_("to state"), max_length=20, choices=ObservationState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    values_snapshot = models.JSONField(
        _("values at the time"),
        default=dict,
        blank=True,
        help_text=_("Disaggregation → value, numerator and denominator."),
    )

    mission_field = "observation__mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation transition")
        verbose_name_plural = _("observation history")
        ordering = ["observation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.from_state} → {self.to_state}"
