"""Composed reads of the threat register: a threat with its plan and risk history, and the
risk matrix."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, QuerySet, prefetch_related_objects

from commitments.models import Phase, Tier
from missions.choices import RiskLevel
from missions.models import Mission

from .models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

SCALE = range(1, 6)  # likelihood and impact both run 1–5


@dataclass(frozen=True)
class PhasePlan:
    """The actions of one tier in one phase of response, soonest due first."""

    phase: Phase
    actions: list[ResponseAction]


@dataclass(frozen=True)
class TierPlan:
    """What the mission does about a threat in one tier, phase by phase (empty: nothing yet)."""

    tier: Tier
    phases: list[PhasePlan]

    @property
    def action_count(self) -> int:
        return sum(len(phase.actions) for phase in self.phases)


@dataclass(frozen=True)
class RiskCell:
    """One cell of the risk matrix: how many open threats have this likelihood and impact."""

    likelihood: int
    impact: int
    score: int
    level: RiskLevel
    count: int


@dataclass(frozen=True)
class RiskMatrix:
    """Open threats of a mission by likelihood × impact, as the heat map draws them.

    `rows` run from likelihood 5 at the top down to 1; each row runs from impact 1 to 5.
    """

    mission: Mission
    rows: list[list[RiskCell]]

    @property
    def total(self) -> int:
        return sum(cell.count for row in self.rows for cell in row)

    def cell(self, likelihood: int, impact: int) -> RiskCell:
        return self.rows[5 - likelihood][impact - 1]


@dataclass(frozen=True)
class RiskHistoryEntry:
    """One assessment of a threat's risk history, with its level under the mission's bands.

    `valid_to` is the day the next assessment took effect (None: in force today).
    """

    valid_from: datetime.date
    valid_to: datetime.date | None
    likelihood: int
    impact: int
    risk_score: int
    level: RiskLevel
    trend: str
    phase: Phase
    assessed_by: User | None
    assessed_at: datetime.datetime


def _plan_actions() -> QuerySet[ResponseAction]:
    # The plan's reading order; undated actions come last on every database.
    return ResponseAction.objects.select_related("tier", "phase").order_by(
        "tier__number", "phase__number", F("due_on").asc(nulls_last=True), "pk"
    )


def threat_detail(*, user: User | AnonymousUser, pk: int) -> Threat:
    """Return one threat the user may see, with its risk level, counts, communities and plan.

    Raises Threat.DoesNotExist for a threat of a mission the user may not see (a 404, never a
    403: another mission's threats do not exist for its staff). Four queries, whatever the
    number of communities, areas and actions: the threat with its mission, phase, owner and
    annotations, then its communities with their areas, its response actions with their tiers
    and phases, and its affected areas.
    """
    queryset = (
        Threat.objects.with_risk_level()
        .with_counts(user)
        .visible_to(user)
        .select_related("mission", "phase", "owner")
        .prefetch_related(
            Prefetch("communities", queryset=CommunityAtRisk.objects.select_related("area")),
            Prefetch("response_actions", queryset=_plan_actions()),
            "areas",
        )
    )
    return queryset.get(pk=pk)


def threat_risk_history(*, user: User | AnonymousUser, threat: Threat) -> list[RiskHistoryEntry]:
    """Return a threat's assessments, newest first, each with its level and who made it.

    Raises Threat.DoesNotExist for a threat of a mission the user may not see. Levels follow
    the mission's bands as they stand today, like every level the register shows. Two queries:
    the threat with its mission, then its assessments with their phases and assessors.
    """
    threat = Threat.objects.visible_to(user).select_related("mission").get(pk=threat.pk)
    assessments = (
        ThreatAssessment.objects.filter(threat=threat)
        .select_related("phase", "assessed_by")
        .order_by("-valid_from")
    )
    return [
        RiskHistoryEntry(
            valid_from=assessment.valid_from,
            valid_to=assessment.valid_to,
            likelihood=assessment.likelihood,
            impact=assessment.impact,
            risk_score=assessment.risk_score,
            level=threat.mission.risk_level(assessment.risk_score),
            trend=assessment.trend,
            phase=assessment.phase,
            assessed_by=assessment.assessed_by,
            assessed_at=assessment.assessed_at,
        )
        for assessment in assessments
    ]


def threat_response_plan(*, threat: Threat) -> list[TierPlan]:
    """Group a threat's response actions by tier, then by phase; every tier appears.

    Tiers run at the same time, so a tier with no action shows as a gap in the plan rather than
    disappearing from it. A threat from `threat_detail` has its actions loaded already in plan
    order, and then only the tiers are queried; otherwise its actions take one more query.
    """
    prefetch_related_objects([threat], Prefetch("response_actions", queryset=_plan_actions()))
    by_tier = {
        tier_id: _by_phase(actions)
        for tier_id, actions in itertools.groupby(
            threat.response_actions.all(), key=attrgetter("tier_id")
        )
    }
    return [
        TierPlan(tier=tier, phases=by_tier.get(tier.pk, []))
        for tier in Tier.objects.order_by("number")
    ]


def _by_phase(actions: Iterable[ResponseAction]) -> list[PhasePlan]:
    plans = []
    for _, group in itertools.groupby(actions, key=attrgetter("phase_id")):
        phase_actions = list(group)
        plans.append(PhasePlan(phase=phase_actions[0].phase, actions=phase_actions))
    return plans


def risk_matrix(*, user: User | AnonymousUser, mission: Mission) -> RiskMatrix:
    """Count a mission's open threats in each likelihood × impact cell, with the cell's level.

    Raises Mission.DoesNotExist when the user may not see the mission. Two queries: the
    mission (for its visibility and current bands), and one GROUP BY over its open threats.
    """
    mission = Mission.objects.visible_to(user).get(pk=mission.pk)
    counts = {
        (row["likelihood"], row["impact"]): row["count"]
        for row in Threat.objects.for_mission(mission)
        .open()
        .order_by()  # the model's default ordering would join into the GROUP BY
        .values("likelihood", "impact")
        .annotate(count=Count("pk"))
    }
    rows = [
        [
            RiskCell(
                likelihood=likelihood,
                impact=impact,
                score=likelihood * impact,
                level=mission.risk_level(likelihood * impact),
                count=counts.get((likelihood, impact), 0),
            )
            for impact in SCALE
        ]
        for likelihood in reversed(SCALE)
    ]
    return RiskMatrix(mission=mission, rows=rows)
