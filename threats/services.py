"""Keep the threat register: identify, reassess, close and remove threats."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_snapshot, audit_update
from core.services import (
    create_record,
    delete_record,
    editable_fields,
    update_record,
    validate_field,
)
from core.validators import validate_record_date
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import THREAT_DERIVATIONS, rollups_changed, stock_ranges
from missions.models import Area, Mission
from missions.permissions import Verb, require
from missions.services import require_areas_in_mission

from .choices import ThreatStatus
from .models import CommunityAtRisk, ResponseAction, Threat

if TYPE_CHECKING:
    from accounts.models import User

THREAT_FIELDS = editable_fields(Threat, exclude={"mission"})
COMMUNITY_FIELDS = editable_fields(CommunityAtRisk, exclude={"threat", "mission"})
RESPONSE_ACTION_FIELDS = editable_fields(ResponseAction, exclude={"threat"})


def rollup_ranges(threat: Threat) -> list[BucketRange]:
    """The open-threat buckets a threat counts in: every period end since it was identified."""
    return stock_ranges(
        derivations=THREAT_DERIVATIONS, mission_id=threat.mission_id, since=threat.identified_on
    )


def _threat_changed(threat: Threat, since: datetime.date) -> None:
    # A threat counts at the end of every period it is open, from the day it was identified.
    rollups_changed(
        stock_ranges(derivations=THREAT_DERIVATIONS, mission_id=threat.mission_id, since=since)
    )


@transaction.atomic
def threat_create(
    *,
    by: User,
    mission: Mission,
    areas: Iterable[Area] = (),
    communities: Iterable[dict[str, Any]] = (),
    **fields: Any,
) -> Threat:
    """Enter a threat in a mission's register, with the areas and communities it puts at risk.

    Each community is a dict of `CommunityAtRisk` fields (name, group, area, women, men, ...).
    """
    areas = list(areas)
    require_areas_in_mission(mission_id=mission.pk, areas=areas)
    threat = create_record(by=by, instance=Threat(mission=mission, **fields), m2m={"areas": areas})
    for values in communities:
        community_create(by=by, threat=threat, **values)
    _threat_changed(threat, since=threat.identified_on)
    return threat


@transaction.atomic
def threat_update(*, threat: Threat, by: User, data: dict[str, Any]) -> Threat:
    """Reassess a threat, and refresh the figures of every day it was or now is open."""
    data = dict(data)
    if "areas" in data:
        data["areas"] = list(data["areas"])
        require_areas_in_mission(mission_id=threat.mission_id, areas=data["areas"])
    identified_on = threat.identified_on
    threat, changed = update_record(by=by, instance=threat, data=data, fields=THREAT_FIELDS)
    if changed:
        _threat_changed(threat, since=min(identified_on, threat.identified_on))
    return threat


@transaction.atomic
def threat_close(*, threat: Threat, by: User, closed_on: datetime.date | None = None) -> Threat:
    """Resolve a threat: it is no longer assessed as one from `closed_on` (today by default).

    A conditional update: closing a threat already resolved changes nothing, and its first
    closing date stands.
    """
    require(by, Verb.CLOSE, threat)
    closed_on = closed_on or timezone.now().date()
    validate_field(closed_on, name="closed_on", validators=[validate_record_date])
    if closed_on < threat.identified_on:
        raise ValidationError({"closed_on": _("A threat cannot close before it is identified.")})
    closed = (
        Threat.objects.filter(pk=threat.pk)
        .exclude(status=ThreatStatus.RESOLVED)
        .update(status=ThreatStatus.RESOLVED, closed_on=closed_on, updated_at=timezone.now())
    )
    before = audit_snapshot(threat)
    threat.refresh_from_db(fields=["status", "closed_on", "updated_at"])
    if closed:
        audit_update(by=by, instance=threat, before=before, action=AuditAction.CLOSE)
        _threat_changed(threat, since=threat.identified_on)
    return threat


@transaction.atomic
def threat_delete(*, threat: Threat, by: User) -> None:
    """Delete a threat from the register and from the figures."""
    delete_record(by=by, instance=threat)
    _threat_changed(threat, since=threat.identified_on)


@transaction.atomic
def community_create(*, by: User, threat: Threat, **fields: Any) -> CommunityAtRisk:
    """Add a community a threat puts at risk, with its population at risk by sex and age."""
    community = CommunityAtRisk(threat=threat, mission_id=threat.mission_id, **fields)
    return create_record(by=by, instance=community)


@transaction.atomic
def community_update(
    *, community: CommunityAtRisk, by: User, data: dict[str, Any]
) -> CommunityAtRisk:
    """Correct a community at risk: its name, group, area or population."""
    community, _changed = update_record(
        by=by, instance=community, data=data, fields=COMMUNITY_FIELDS
    )
    return community


@transaction.atomic
def community_delete(*, community: CommunityAtRisk, by: User) -> None:
    """Take a community off a threat."""
    delete_record(by=by, instance=community)


@transaction.atomic
def response_action_create(*, by: User, threat: Threat, **fields: Any) -> ResponseAction:
    """Add an action to a threat's response plan, in a tier and a phase."""
    return create_record(by=by, instance=ResponseAction(threat=threat, **fields))


@transaction.atomic
def response_action_update(
    *, action: ResponseAction, by: User, data: dict[str, Any]
) -> ResponseAction:
    """Change an action of a response plan: what, who, its status or due date."""
    action, _changed = update_record(
        by=by, instance=action, data=data, fields=RESPONSE_ACTION_FIELDS
    )
    return action


@transaction.atomic
def response_action_delete(*, action: ResponseAction, by: User) -> None:
    """Take an action off a threat's response plan."""
    delete_record(by=by, instance=action)
