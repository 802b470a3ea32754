"""The audit trail: one append-only entry per change a write service makes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.querysets import MissionScopedQuerySet

from .choices import AuditAction


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(MissionScopedQuerySet["AuditEntry"]):
    """Audit entries, scoped by mission like every record they describe; never changed."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_("Audit entries cannot be changed."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("Audit entries cannot be deleted."))


class AuditEntry(models.Model):
    """One change to one record of the tracker: who made it, when, to what, and why.

    The write services record an entry for every record they create, change, delete or move
    through a workflow (an observation validated, an alert acknowledged), with each changed
    field's value before and after, and the reason the workflow asked for. Entries written
    during one request or task share its request id, so changes made together read together.
    Entries are never changed or deleted, and outlive the user, the record and the mission they
    name: they keep the username and the record's label of the time.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    request_id = models.UUIDField(
        _("request id"),
        db_index=True,  # changes made together read together
        help_text=_("Shared by every change made in the same request or background task."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # an entry outlives its user
        db_index=False,  # no query reads entries by user yet
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(
        _("by (username)"),
        max_length=150,
        blank=True,
        help_text=_("The username at the time; empty for changes the system made itself."),
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("record type"),
        db_index=False,  # the (content_type, object_id) index leads with it
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # entries outlive a deleted mission
        db_index=False,  # the (mission, at) index leads with it
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission"),
        help_text=_("Empty for records outside any mission: users, reference data."),
    )
    is_restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("The record was need-to-know when the change was made."),
    )
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("Each changed field: before, after.")
    )
    reason = models.TextField(_("reason"), blank=True)

    mission_field = "mission"
    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values),
                name="%(app_label)s_%(class)s_action_valid",
            ),
        ]
        indexes = [
            # API and pages: a mission's entries, newest first
            models.Index(fields=["mission", "-at"], name="audit_entry_mission_at_idx"),
            # admin: one record's history
            models.Index(fields=["content_type", "object_id"], name="audit_entry_object_idx"),
            # the API's list: a mission's entries a page at a time, newest id first
            models.Index(fields=["mission", "id"], name="audit_entry_page_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("Audit entries cannot be deleted."))
