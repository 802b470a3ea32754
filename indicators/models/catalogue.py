"""The indicator catalogue, and each mission's baselines and targets."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from core.choices import Component
from core.db import record_date_check
from core.models import TimeStampedModel
from core.validators import validate_record_date
from missions.querysets import MissionScopedQuerySet

from ..choices import (
    CombinationMethod,
    DataSource,
    Derivation,
    Disaggregation,
    Frequency,
    Polarity,
    TimeAggregation,
    Unit,
)


class Indicator(TimeStampedModel):
    """A measure of how a mission protects civilians, with everything needed to combine it.

    Some indicators are logged by hand as observations; others are derived from incidents,
    alerts, threats, activities or commitments, and name their derivation. Each is linked to an
    A4P key element and a POC tier where one applies.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    method = models.CharField(
        _("combination method"), max_length=30, choices=CombinationMethod.choices
    )
    time_aggregation = models.CharField(
        _("over time"),
        max_length=10,
        choices=TimeAggregation.choices,
        default=TimeAggregation.FLOW,
        help_text=_(
            "A flow takes in everything in the period; a stock each place's last reading of it."
        ),
    )
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices)
    disaggregation = models.CharField(
        _("disaggregation"),
        max_length=10,
        choices=Disaggregation.choices,
        default=Disaggregation.NONE,
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    key_element = models.ForeignKey(
        "commitments.KeyElement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("A4P key element"),
    )
    tier = models.ForeignKey(
        "commitments.Tier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("POC tier"),
    )
    responsible_component = models.CharField(
        _("responsible component"), max_length=30, choices=Component.choices
    )
    source = models.CharField(_("source"), max_length=10, choices=DataSource.choices)
    derivation = models.CharField(
        _("derivation"),
        max_length=30,
        choices=Derivation.choices,
        blank=True,
        help_text=_("For derived indicators: the records they are computed from."),
    )
    data_source = models.TextField(
        _("data source"), help_text=_("Where the figures come from and who provides them.")
    )
    numerator_label = models.CharField(_("numerator"), max_length=200, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=200, blank=True)
    at_risk_margin = models.DecimalField(
        _("at-risk margin (%)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_(
            "How far short of its target, in per cent, a figure is 'at risk' and not "
            "yet 'off track'."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["Indicator"]] = MultilingualManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(source=DataSource.DERIVED) & ~models.Q(derivation=""))
                | (models.Q(source=DataSource.MANUAL) & models.Q(derivation="")),
                name="%(app_label)s_%(class)s_derivation_iff_derived",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=CombinationMethod.values),
                name="%(app_label)s_%(class)s_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(time_aggregation__in=TimeAggregation.values),
                name="%(app_label)s_%(class)s_time_aggregation_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(at_risk_margin__gte=0, at_risk_margin__lte=100),
                name="%(app_label)s_%(class)s_at_risk_margin_percent",
            ),
            # One indicator per derivation keeps derived figures unambiguous.
            models.UniqueConstraint(
                fields=["derivation"],
                condition=~models.Q(derivation=""),
                name="%(app_label)s_%(class)s_unique_derivation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if (self.source == DataSource.DERIVED) != bool(self.derivation):
            raise ValidationError(
                {"derivation": _("Derived indicators, and only they, name a derivation.")}
            )


class IndicatorTarget(TimeStampedModel):
    """A mission's baseline and target for an indicator over a period (usually a year)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="indicator_targets",
        verbose_name=_("mission"),
    )
    period_start = models.DateField(_("period start"), validators=[validate_record_date])
    period_end = models.DateField(_("period end"), validators=[validate_record_date])
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "mission", "period_start"]
        constraints = [
            record_date_check("period_start"),
            record_date_check("period_end"),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="%(app_label)s_%(class)s_period_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["indicator", "mission", "period_start"],
                name="%(app_label)s_%(class)s_one_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.mission} {self.period_start}–{self.period_end}"
