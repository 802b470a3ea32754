"""A large export: every figure of every mission its requester may read, as a file made by a job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ExportFormat, ExportStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class ReportExportQuerySet(models.QuerySet["ReportExport"]):
    def for_user(self, user: User | AnonymousUser) -> ReportExportQuerySet:
        """A requester's own exports: the file holds what they may read, nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by_id=user.pk)

    def visible_to(self, user: User | AnonymousUser) -> ReportExportQuerySet:
        return self.for_user(user)


class ReportExport(models.Model):
    """The all-missions, all-years, locality-level export of the rollups, made by a Celery job.

    The requester polls it and downloads the file once ready; the file is theirs alone and is
    deleted after `REPORT_EXPORT_HOURS`. Its content is what the requester could read when it
    was made: the missions they may read, and, in a file that leaves a mission, no figure of
    sexual violence or grave violations against children (`reports.exports`).
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    missions = models.JSONField(_("missions"), default=list, blank=True)
    sensitive_left_out = models.BooleanField(
        _("sensitive figures left out"),
        default=False,
        help_text=_(
            "Sexual violence and grave violations against children, in a file that "
            "leaves a mission."
        ),
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=ExportFormat.values),
                name="%(app_label)s_%(class)s_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]
        indexes = [
            # the expiry sweep: ready files past their time
            models.Index(fields=["status", "expires_at"], name="reports_export_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"
