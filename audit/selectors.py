"""Reads of the audit trail, scoped as the records it describes are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from incidents.models import Incident
from missions.models import Mission
from missions.permissions import Action, global_allows

from .models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def audit_entries_visible_to(
    user: User | AnonymousUser, *, mission: Mission | int | None = None
) -> QuerySet[AuditEntry]:
    """Return the entries `user` may read, newest first, optionally of one mission only.

    Entries follow their mission's scoping; entries outside any mission (users, reference
    data) are for administrators. A restricted record's entries follow its need-to-know: they
    show where the user may view restricted records of that mission, or, for an incident,
    wherever the user may see the incident itself (its reporter does).
    """
    entries = AuditEntry.objects.visible_to(user)
    if not global_allows(user, Action.MANAGE_MISSION):
        entries = entries.filter(mission__isnull=False)
    if not global_allows(user, Action.VIEW_RESTRICTED):
        cleared = Mission.objects.for_user(user, Action.VIEW_RESTRICTED).values("pk")
        incidents = Incident.objects.visible_to(user).values("pk")
        entries = entries.filter(
            Q(is_restricted=False)
            | Q(mission__in=cleared)
            | Q(
                content_type=ContentType.objects.get_for_model(Incident),
                object_id__in=incidents,
            )
        )
    if mission is not None:
        entries = entries.for_mission(mission)
    return entries.select_related("actor", "content_type").order_by("-at", "-pk")
