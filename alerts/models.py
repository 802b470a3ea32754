import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.db import client_id_field, client_id_unique, record_date_check
from core.models import TimeStampedModel
from core.validators import validate_record_date
from missions.models import InMissionArea

from .choices import AlertOutcome, AlertSource, Severity
from .querysets import AlertQuerySet


class Alert(InMissionArea, TimeStampedModel):
    """An early-warning alert: a warning that civilians are about to be harmed, and the answer.

    Raised by a community alert network, a local protection committee, a community liaison
    assistant, a patrol or a partner. The JOC records when it was received and acknowledged,
    the response decided (by tier), when it deployed and when it arrived. Response time is
    arrival minus receipt, measured against the mission's standard.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("mission"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    area = models.ForeignKey(
        "missions.Area",
        on_delete=models.RESTRICT,
        related_name="alerts",
        verbose_name=_("area"),
        db_index=False,  # the Meta indexes that lead with it serve its lookups
    )
    source = models.CharField(_("source"), max_length=40, choices=AlertSource.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    summary = models.TextField(_("summary"))
    threat = models.ForeignKey(
        "threats.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("threat"),
    )
    received_at = models.DateTimeField(_("received at"), validators=[validate_record_date])
    # The day the alert counts on in the figures: its receipt in the mission's time zone, set by
    # the services from received_at. Stored, as SQLite has no time-zone conversion and the
    # rollup engine runs the same SQL on both. Its window is checked in clean() and reported on
    # received_at, the field a user fills in (blank: a missing receipt is that field's error).
    received_on = models.DateField(_("received on"), editable=False, blank=True)
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"), null=True, blank=True, validators=[validate_record_date]
    )
    response_tier = models.ForeignKey(
        "commitments.Tier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("response tier"),
    )
    response_decided = models.TextField(_("response decided"), blank=True)
    deployed_at = models.DateTimeField(
        _("response deployed at"), null=True, blank=True, validators=[validate_record_date]
    )
    arrived_at = models.DateTimeField(
        _("response arrived at"), null=True, blank=True, validators=[validate_record_date]
    )
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=AlertOutcome.choices, default=AlertOutcome.PENDING
    )
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    client_id = client_id_field()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    mission_field = "mission"
    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("early-warning alert")
        verbose_name_plural = _("early-warning alerts")
        ordering = ["-received_at"]
        constraints = [
            record_date_check("received_at", timestamp=True),
            record_date_check("received_on"),
            record_date_check("acknowledged_at", timestamp=True),
            record_date_check("deployed_at", timestamp=True),
            record_date_check("arrived_at", timestamp=True),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True)
                | models.Q(acknowledged_at__gte=models.F("received_at")),
                name="%(app_label)s_%(class)s_acknowledged_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(deployed_at__isnull=True)
                | models.Q(deployed_at__gte=models.F("received_at")),
                name="%(app_label)s_%(class)s_deployed_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(arrived_at__isnull=True)
                | models.Q(arrived_at__gte=models.F("received_at")),
                name="%(app_label)s_%(class)s_response_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(arrived_at__isnull=True)
                | models.Q(deployed_at__isnull=True)
                | models.Q(arrived_at__gte=models.F("deployed_at")),
                name="%(app_label)s_%(class)s_arrived_after_deployed",
            ),
            client_id_unique(),
            models.CheckConstraint(
                condition=models.Q(severity__in=Severity.values),
                name="%(app_label)s_%(class)s_severity_valid",
            ),
        ]
        indexes = [
            # dashboards and rollups: a mission's alerts by time received
            models.Index(fields=["mission", "received_at"], name="alerts_mission_received_idx"),
            # rollups: a mission's alerts by the local day they count on
            models.Index(fields=["mission", "received_on"], name="alerts_mission_received_on_idx"),
            # area filter by time received
            models.Index(fields=["area", "received_at"], name="alerts_area_received_idx"),
            # the API's list: a mission's alerts a page at a time, newest id first
            models.Index(fields=["mission", "id"], name="alerts_page_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.get_severity_display()} ({self.area})"

    def response_time(self) -> datetime.timedelta | None:
        """Time from receipt to the response arriving on the ground, if it has."""
        if self.arrived_at is None:
            return None
        return self.arrived_at - self.received_at

    def answered_within_standard(self) -> bool | None:
        elapsed = self.response_time()
        if elapsed is None:
            return None
        return elapsed <= datetime.timedelta(hours=self.mission.alert_response_standard_hours)

    def clean(self) -> None:
        super().clean()
        received = self.received_at
        for field in ("acknowledged_at", "deployed_at", "arrived_at"):
            value = getattr(self, field)
            if received and value and value < received:
                raise ValidationError({field: _("This cannot be before the alert was received.")})
        if self.deployed_at and self.arrived_at and self.arrived_at < self.deployed_at:
            raise ValidationError({"arrived_at": _("The response cannot arrive before it left.")})
        self._clean_received_on()

    def _clean_received_on(self) -> None:
        """Refuse a receipt whose local day leaves the window of record dates, though its UTC
        day (the field's own check) is inside: on the window's edge, in a zone off UTC."""
        if self.received_at is None or self.received_on is None:
            return
        try:
            validate_record_date(self.received_at)
        except ValidationError:
            return  # the field's own error says so
        try:
            validate_record_date(self.received_on)
        except ValidationError as error:
            raise ValidationError({"received_at": error.error_list}) from error
