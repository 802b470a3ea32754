from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from core.db import client_id_field, client_id_unique, record_date_check
from core.models import TimeStampedModel
from core.validators import validate_record_date
from missions.models import InMissionArea
from threats.choices import RESTRICTED_VIOLENCE_TYPES, PerpetratorCategory, ViolenceType
from threats.models import Perpetrator

from ..choices import Precision, SourceReliability, SourceType, VerificationStatus
from ..querysets import IncidentQuerySet
from .casualties import CasualtyCounts


class GraveViolation(TimeStampedModel):
    """One of the six grave violations against children monitored under resolution 1612."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=200)

    # the texts are translated (translation.py): queries read the active language
    objects: ClassVar[MultilingualManager["GraveViolation"]] = MultilingualManager()

    class Meta:
        verbose_name = _("grave violation against children")
        verbose_name_plural = _("grave violations against children")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.label


class Incident(InMissionArea, CasualtyCounts, Perpetrator, TimeStampedModel):
    """A threat that happened: when, where, what, by whom, and the civilians it harmed.

    Casualties are counted by harm and by sex and age. Sexual violence and grave violations
    against children make an incident restricted (need-to-know); no record names a victim. Its
    shape follows public conflict-event data (date, admin region, location, coordinates, event
    type, actors, fatalities) so such data imports cleanly, keyed by its source's event id.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("mission"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    area = models.ForeignKey(
        "missions.Area",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("area"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
        help_text=_("Empty when only the mission is known: the incident counts for it alone."),
    )
    occurred_on = models.DateField(
        _("date"),
        validators=[validate_record_date],
        help_text=_("The day the figures count the incident on: its first day."),
    )
    ended_on = models.DateField(
        _("last day"),
        null=True,
        blank=True,
        validators=[validate_record_date],
        help_text=_("For an incident that lasted several days, as its source dates it."),
    )
    occurred_at = models.TimeField(_("time"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=20, choices=Precision.choices, default=Precision.EXACT
    )
    location_name = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=20,
        choices=Precision.choices,
        default=Precision.EXACT,
    )
    incident_type = models.CharField(_("type"), max_length=40, choices=ViolenceType.choices)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Never write the names of victims or survivors."),
    )
    people_displaced = models.PositiveIntegerField(_("people displaced"), default=0)
    grave_violations = models.ManyToManyField(
        GraveViolation,
        blank=True,
        related_name="incidents",
        verbose_name=_("grave violations against children"),
    )
    verification_status = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.REPORTED,
    )
    source_type = models.CharField(_("source type"), max_length=40, choices=SourceType.choices)
    source_reliability = models.CharField(
        _("source reliability"),
        max_length=1,
        choices=SourceReliability.choices,
        default=SourceReliability.F,
    )
    is_restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Need-to-know: set for sexual violence and grave violations against children."),
    )
    threat = models.ForeignKey(
        "threats.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("threat"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    external_source = models.CharField(
        _("external source"),
        max_length=50,
        blank=True,
        help_text=_("Dataset an imported incident comes from."),
    )
    external_id = models.CharField(_("external event id"), max_length=100, blank=True)
    source_figures = models.JSONField(
        _("source's own figures"),
        default=dict,
        blank=True,
        help_text=_(
            "What the source itself records beyond the casualty counts: estimates, deaths "
            "among combatants, precision codes."
        ),
    )
    import_run = models.ForeignKey(
        "imports.IncidentImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("last imported by"),
        help_text=_("The import that last created or changed this incident."),
    )
    client_id = client_id_field()

    mission_field = "mission"
    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            record_date_check("occurred_on"),
            record_date_check("ended_on"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("occurred_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(incident_type__in=ViolenceType.values),
                name="%(app_label)s_%(class)s_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(perpetrator_category__in=PerpetratorCategory.values),
                name="%(app_label)s_%(class)s_perpetrator_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(verification_status__in=VerificationStatus.values),
                name="%(app_label)s_%(class)s_verification_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
            ),
            # Sexual violence and the recruitment of children are always need-to-know,
            # whatever the form said.
            models.CheckConstraint(
                condition=~models.Q(incident_type__in=sorted(RESTRICTED_VIOLENCE_TYPES))
                | models.Q(is_restricted=True),
                name="%(app_label)s_%(class)s_sensitive_types_restricted",
            ),
            client_id_unique(),
            # An imported event is imported once per mission.
            models.UniqueConstraint(
                fields=["mission", "external_source", "external_id"],
                condition=~models.Q(external_id=""),
                name="%(app_label)s_%(class)s_unique_external_id",
            ),
        ]
        indexes = [
            # dashboards and rollups: a mission's incidents by date
            models.Index(fields=["mission", "occurred_on"], name="incidents_mission_date_idx"),
            # area filter (with descendants) by date
            models.Index(fields=["area", "occurred_on"], name="incidents_area_date_idx"),
            # incidents of a threat, newest first
            models.Index(fields=["threat", "occurred_on"], name="incidents_threat_date_idx"),
            # the API's list: a mission's incidents a page at a time, newest id first
            models.Index(fields=["mission", "id"], name="incidents_page_idx"),
        ]

    def __str__(self) -> str:
        place = self.area if self.area_id else self.mission
        return f"{self.occurred_on} {self.get_incident_type_display()} ({place})"

    def clean(self) -> None:
        super().clean()
        if self.ended_on and self.occurred_on and self.ended_on < self.occurred_on:
            raise ValidationError(
                {"ended_on": _("The last day cannot come before the first.")},
                code="ends_before_start",
            )
