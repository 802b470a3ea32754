"""How each mission implements the A4P commitments: status, actions, evidence and reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Component
from core.db import record_date_check
from core.models import TimeStampedModel
from core.validators import validate_record_date
from missions.querysets import MissionScopedQuerySet

from ..choices import ActionStatus, ImplementationStatus
from .frame import KeyElement


class CommitmentImplementation(TimeStampedModel):
    """A mission's implementation of one A4P key element: where it stands and on what evidence.

    One row per mission and element; its planned actions hang below it.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="commitment_implementations",
        verbose_name=_("mission"),
    )
    key_element = models.ForeignKey(
        KeyElement,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("A4P key element"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    summary = models.TextField(_("summary"), blank=True)
    responsible_component = models.CharField(
        _("responsible component"), max_length=30, choices=Component.choices
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, validators=[validate_record_date])
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("What shows the progress: documents, figures.")
    )
    last_reviewed_on = models.DateField(
        _("last reviewed on"), null=True, blank=True, validators=[validate_record_date]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment implementation")
        verbose_name_plural = _("commitment implementations")
        ordering = ["mission", "key_element"]
        constraints = [
            record_date_check("due_on"),
            record_date_check("last_reviewed_on"),
            models.UniqueConstraint(
                fields=["mission", "key_element"],
                name="%(app_label)s_%(class)s_one_per_mission_element",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ImplementationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} — {self.key_element}"


class CommitmentAction(TimeStampedModel):
    """One action a mission takes to implement an A4P key element."""

    implementation = models.ForeignKey(
        CommitmentImplementation,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("commitment implementation"),
    )
    description = models.TextField(_("description"))
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, validators=[validate_record_date])
    done_on = models.DateField(
        _("done on"), null=True, blank=True, validators=[validate_record_date]
    )

    mission_field = "implementation__mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment action")
        verbose_name_plural = _("commitment actions")
        ordering = ["implementation", "due_on", "pk"]
        constraints = [
            record_date_check("due_on"),
            record_date_check("done_on"),
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True) | models.Q(status=ActionStatus.DONE),
                name="%(app_label)s_%(class)s_done_on_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]
