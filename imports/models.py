"""An import of conflict-event data into a mission: the file, how it was read, and the outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from incidents.choices import SourceReliability, SourceType, VerificationStatus
from missions.querysets import MissionScopedQuerySet

from .choices import ImportStatus, MissingEvents, Preset


class IncidentImport(TimeStampedModel):
    """One file of events read into a mission's incidents, as one audited operation.

    It keeps the file's name and checksum, the preset and mapping that read it, the choices
    made (verification, areas, bad rows), who ran it, and the outcome: counts of created,
    updated, unchanged and unplaced events, and every bad row with its line, column and reason.
    Each incident it created or changed points back to it.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="incident_imports",
        verbose_name=_("mission"),
    )
    file = models.FileField(
        _("file"),
        upload_to="imports/%Y/%m/",
        blank=True,
        help_text=_("Uploaded files are kept; a command's file stays where it was."),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    preset = models.CharField(_("preset"), max_length=20, choices=Preset.choices)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    source_name = models.CharField(
        _("source"),
        max_length=50,
        help_text=_("Kept on every incident: with the event id, it identifies the event."),
    )
    verification_status = models.CharField(
        _("verification of new incidents"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.REPORTED,
    )
    source_type = models.CharField(
        _("source type"), max_length=40, choices=SourceType.choices, default=SourceType.OPEN_DATA
    )
    source_reliability = models.CharField(
        _("source reliability"),
        max_length=1,
        choices=SourceReliability.choices,
        default=SourceReliability.F,
    )
    create_areas = models.BooleanField(_("create missing areas"), default=False)
    skip_bad_rows = models.BooleanField(
        _("skip bad rows"),
        default=False,
        help_text=_("Import the good rows and list the bad; otherwise one bad row refuses all."),
    )
    missing = models.CharField(
        _("events no longer in the file"),
        max_length=10,
        choices=MissingEvents.choices,
        default=MissingEvents.LIST,
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(
        _("report"),
        default=dict,
        blank=True,
        help_text=_("Bad rows, unmatched place names, areas created, events no longer present."),
    )
    error = models.TextField(_("error"), blank=True)
    confirms = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirms dry run"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident import")
        verbose_name_plural = _("incident imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(preset__in=Preset.values),
                name="%(app_label)s_%(class)s_preset_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_preset_display()})"
