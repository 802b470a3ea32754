"""Keep the threat register: identify, reassess, close and remove threats."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import editable_fields, model_update
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import THREAT_DERIVATIONS, rollups_changed, stock_ranges
from missions.models import Area, Mission
from missions.permissions import Action
from missions.services import require_allowed, require_in_mission

from .choices import ThreatStatus
from .models import CommunityAtRisk, Threat

if TYPE_CHECKING:
    from accounts.models import User

THREAT_FIELDS = editable_fields(Threat, exclude={"mission"})


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


def _require_areas_in_mission(mission_id: int, areas: Iterable[Area]) -> None:
    for area in areas:
        require_in_mission(mission_id=mission_id, areas=area)


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
    require_allowed(by=by, action=Action.MANAGE_THREATS, record=mission)
    areas = list(areas)
    _require_areas_in_mission(mission.pk, areas)
    threat = Threat(mission=mission, **fields)
    threat.full_clean()
    threat.save()
    threat.areas.set(areas)
    for values in communities:
        require_in_mission(mission_id=mission.pk, area=values.get("area"))
        community = CommunityAtRisk(threat=threat, mission=threat.mission, **values)
        community.full_clean()
        community.save()
    _threat_changed(threat, since=threat.identified_on)
    return threat


@transaction.atomic
def threat_update(*, threat: Threat, by: User, data: dict[str, Any]) -> Threat:
    """Reassess a threat, and refresh the figures of every day it was or now is open."""
    require_allowed(by=by, action=Action.MANAGE_THREATS, record=threat)
    data = dict(data)
    if "areas" in data:
        data["areas"] = list(data["areas"])
        _require_areas_in_mission(threat.mission_id, data["areas"])
    identified_on = threat.identified_on
    threat, changed = model_update(instance=threat, data=data, fields=THREAT_FIELDS)
    if changed:
        _threat_changed(threat, since=min(identified_on, threat.identified_on))
    return threat


@transaction.atomic
def threat_close(*, threat: Threat, by: User, closed_on: datetime.date | None = None) -> Threat:
    """Resolve a threat: it is no longer assessed as one from `closed_on` (today by default).

    A conditional update: closing a threat already resolved changes nothing, and its first
    closing date stands.
    """
    require_allowed(by=by, action=Action.MANAGE_THREATS, record=threat)
    closed_on = closed_on or timezone.now().date()
    if closed_on < threat.identified_on:
        raise ValidationError({"closed_on": _("A threat cannot close before it is identified.")})
    closed = (
        Threat.objects.filter(pk=threat.pk)
        .exclude(status=ThreatStatus.RESOLVED)
        .update(status=ThreatStatus.RESOLVED, closed_on=closed_on, updated_at=timezone.now())
    )
    threat.refresh_from_db(fields=["status", "closed_on", "updated_at"])
    if closed:
        _threat_changed(threat, since=threat.identified_on)
    return threat


@transaction.atomic
def threat_delete(*, threat: Threat, by: User) -> None:
    """Delete a threat from the register and from the figures."""
    require_allowed(by=by, action=Action.MANAGE_THREATS, record=threat)
    threat.delete()
    _threat_changed(threat, since=threat.identified_on)
