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
from audit.services import audit_create, audit_snapshot, audit_update
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
from .models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

if TYPE_CHECKING:
    from accounts.models import User

THREAT_FIELDS = editable_fields(Threat, exclude={"mission"})
COMMUNITY_FIELDS = editable_fields(CommunityAtRisk, exclude={"threat", "mission"})
RESPONSE_ACTION_FIELDS = editable_fields(ResponseAction, exclude={"threat"})
# What an assessment records of its threat: a change to any of them is a re-scoring.
ASSESSED_FIELDS = ("likelihood", "impact", "trend", "phase_id")


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
    _assess(threat=threat, by=by, on=threat.identified_on)
    for values in communities:
        community_create(by=by, threat=threat, **values)
    _threat_changed(threat, since=threat.identified_on)
    return threat


@transaction.atomic
def threat_update(
    *,
    threat: Threat,
    by: User,
    data: dict[str, Any],
    assessed_on: datetime.date | None = None,
) -> Threat:
    """Reassess a threat, and refresh the figures of every day it was or now is open.

    A change of likelihood, impact, trend or phase is a re-scoring: it goes into the threat's
    risk history as an assessment in force from `assessed_on` (today by default; a back-dated
    one may not precede the assessment in force, nor the threat's identification), so that
    the figures of earlier periods keep the scores in force then.
    """
    data = dict(data)
    if "areas" in data:
        data["areas"] = list(data["areas"])
        require_areas_in_mission(mission_id=threat.mission_id, areas=data["areas"])
    identified_on = threat.identified_on
    threat, changed = update_record(by=by, instance=threat, data=data, fields=THREAT_FIELDS)
    if changed:
        _follow_identification(threat=threat, by=by)
        _assess(threat=threat, by=by, on=assessed_on or timezone.now().date())
        # A re-scoring changes the figures from its first day on only, but every figure of
        # the threat dates its source by the threat's updated_at, which any change moves: the
        # refresh covers the threat's whole life so that no figure keeps a stale date.
        _threat_changed(threat, since=min(identified_on, threat.identified_on))
    return threat


def _assess(*, threat: Threat, by: User, on: datetime.date) -> ThreatAssessment | None:
    """Record the threat's current scores in its risk history, in force from `on`.

    The threat service's own bookkeeping, written with the threat's permission (the caller has
    asked the policy for the threat) and audited row by row. Nothing is written when the scores
    are those in force. The assessment in force is closed on `on`; if it took effect that very
    day it is corrected in place instead, so a threat has one assessment a day.
    """
    current = (
        ThreatAssessment.objects.select_for_update()
        .filter(threat=threat, valid_to__isnull=True)
        .first()
    )
    scores = {name: getattr(threat, name) for name in ASSESSED_FIELDS}
    if current is not None and all(getattr(current, k) == v for k, v in scores.items()):
        return None
    if current is not None:
        _check_assessment_day(threat=threat, current=current, on=on)
    stamp = {"assessed_by": by, "assessed_at": timezone.now()}
    if current is not None and current.valid_from == on:
        before = audit_snapshot(current)
        for name, value in {**scores, **stamp}.items():
            setattr(current, name, value)
        current.save()
        current.refresh_from_db(fields=["risk_score"])
        audit_update(by=by, instance=current, before=before)
        return current
    if current is not None:
        before = audit_snapshot(current)
        current.valid_to = on
        current.save(update_fields=["valid_to"])
        audit_update(by=by, instance=current, before=before)
    assessment = ThreatAssessment(
        threat=threat, mission_id=threat.mission_id, valid_from=on, **scores, **stamp
    )
    assessment.save()
    assessment.refresh_from_db(fields=["risk_score"])
    audit_create(by=by, instance=assessment)
    return assessment


def _check_assessment_day(*, threat: Threat, current: ThreatAssessment, on: datetime.date) -> None:
    # A back-dated re-scoring may fill the gap since the last one, never rewrite it: the
    # history before the assessment in force stays as it was read then.
    if on > timezone.now().date():
        raise ValidationError({"assessed_on": _("A threat cannot be reassessed in the future.")})
    if on < current.valid_from or on < threat.identified_on:
        raise ValidationError(
            {
                "assessed_on": _(
                    "A reassessment cannot take effect before %(day)s, the day of the "
                    "assessment in force or of the threat's identification."
                )
                % {"day": max(current.valid_from, threat.identified_on)}
            }
        )


def _follow_identification(*, threat: Threat, by: User) -> None:
    """Start the risk history on the day the threat was identified, if that moved earlier."""
    first = ThreatAssessment.objects.filter(threat=threat).order_by("valid_from").first()
    if first is None or first.valid_from <= threat.identified_on:
        return
    before = audit_snapshot(first)
    first.valid_from = threat.identified_on
    first.save(update_fields=["valid_from"])
    audit_update(by=by, instance=first, before=before)


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
