"""The reads the threat register's pages compose: the list's filters within one mission, and what
a threat's page shows beside the threat itself, each through its app's scoped queryset or
selector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from alerts.models import Alert
from audit.choices import AuditAction
from audit.models import AuditEntry
from audit.selectors import audit_entries_visible_to
from incidents.models import Incident
from missions.filters import AreaWithinFilter
from missions.models import Area, Mission
from threats.filters import ThreatFilterSet
from threats.models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

# How many linked records and audit entries a threat's page lists (the counts say the rest).
LINKED_SHOWN = 20
AUDIT_SHOWN = 50
RANGE_FILTERS = ("identified_on", "next_review_on")


class MissionThreatFilterSet(ThreatFilterSet):
    """The API's threat filters on one mission's list: the mission comes from the URL, and the
    areas offered are that mission's."""

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the mission is the page's; owners are picked on the threat itself
        for name in ("mission", "owner"):
            self.filters.pop(name, None)
        area = self.filters["area"]
        assert isinstance(area, AreaWithinFilter)
        area.queryset = Area.objects.for_mission(mission).order_by("name")


def mission_threats(user: User, mission: Mission) -> QuerySet[Threat]:
    """One mission's threats as the user may see them, with their risk level, as the API lists
    them, and what each row of the list shows."""
    return (
        Threat.objects.with_risk_level()
        .visible_to(user)
        .for_mission(mission)
        .select_related("phase")
        .prefetch_related("areas")
    )


def threat_filters(request: HttpRequest, user: User, mission: Mission) -> MissionThreatFilterSet:
    return MissionThreatFilterSet(
        request.GET or None,
        queryset=mission_threats(user, mission),
        request=request,
        mission=mission,
    )


def linked_incidents(user: User, threat: Threat) -> list[Incident]:
    """The latest incidents of the threat the user may see (restricted ones on need-to-know)."""
    return list(
        Incident.objects.visible_to(user)
        .filter(threat=threat)
        .select_related("area")
        .order_by("-occurred_on", "-pk")[:LINKED_SHOWN]
    )


def linked_alerts(user: User, threat: Threat) -> list[Alert]:
    return list(
        Alert.objects.visible_to(user)
        .filter(threat=threat)
        .select_related("area")
        .order_by("-received_at", "-pk")[:LINKED_SHOWN]
    )


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    # (field's name, before, after) for a change; empty for a creation or deletion
    changes: list[tuple[str, Any, Any]]


def threat_audit_trail(user: User, threat: Threat) -> list[AuditLine]:
    """The audit entries of a threat, its risk history, communities and response plan, newest
    first, read through the audit trail's own need-to-know selector."""
    types = ContentType.objects.get_for_models(
        Threat, ThreatAssessment, CommunityAtRisk, ResponseAction
    )
    about = (
        Q(content_type=types[Threat], object_id=threat.pk)
        | Q(
            content_type=types[ThreatAssessment],
            object_id__in=ThreatAssessment.objects.filter(threat=threat).values("pk"),
        )
        | Q(
            content_type=types[CommunityAtRisk],
            object_id__in=CommunityAtRisk.objects.filter(threat=threat).values("pk"),
        )
        | Q(
            content_type=types[ResponseAction],
            object_id__in=ResponseAction.objects.filter(threat=threat).values("pk"),
        )
    )
    entries = audit_entries_visible_to(user, mission=threat.mission_id).filter(about)
    return [
        AuditLine(
            entry=entry,
            changes=[]
            if entry.action in (AuditAction.CREATE, AuditAction.DELETE)
            else [
                (_field_label(entry, name), before, after)
                for name, (before, after) in entry.changes.items()
            ],
        )
        for entry in entries[:AUDIT_SHOWN]
    ]


def _field_label(entry: AuditEntry, name: str) -> str:
    # the field's own (translated) name; a field since removed keeps the name it was stored by
    model = entry.content_type.model_class()
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        field = None
    return str(getattr(field, "verbose_name", name))
