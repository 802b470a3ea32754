import datetime

import pytest

from accounts.models import User
from commitments.models import Tier
from missions.choices import RiskLevel
from missions.models import Mission
from tests.factories.commitments import PhaseFactory, TierFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import CommunityAtRiskFactory, ResponseActionFactory, ThreatFactory
from threats.choices import ThreatStatus
from threats.models import Threat
from threats.selectors import risk_matrix, threat_detail, threat_response_plan

pytestmark = pytest.mark.django_db


def _threat_with(mission: Mission, *, communities: int, actions: int) -> Threat:
    """A threat with communities in their own localities and actions across tiers and phases."""
    threat = ThreatFactory(mission=mission, areas=[LocalityFactory(mission=mission)])
    for _ in range(communities):
        CommunityAtRiskFactory(threat=threat)
    for n in range(actions):
        ResponseActionFactory(
            threat=threat,
            tier=TierFactory(number=1 + n % 3),
            phase=PhaseFactory(number=1 + n % 4),
        )
    return threat


# --- threat_detail ------------------------------------------------------------------------------


def test_threat_detail_reads_the_threat_with_level_counts_and_plan(
    mission_a: Mission, poc_adviser: User
) -> None:
    threat = _threat_with(mission_a, communities=2, actions=3)
    IncidentFactory(mission=mission_a, area=threat.areas.get(), threat=threat)

    detail = threat_detail(user=poc_adviser, pk=threat.pk)

    assert detail == threat
    assert detail.risk_level == RiskLevel.MEDIUM  # 3 × 3 = 9 under the default bands
    assert (detail.incident_count, detail.alert_count, detail.activity_count) == (1, 0, 0)
    assert len(detail.communities.all()) == 2
    assert len(detail.response_actions.all()) == 3


def test_threat_detail_of_another_missions_threat_does_not_exist(
    mission_b: Mission, poc_adviser: User
) -> None:
    other = ThreatFactory(mission=mission_b)

    with pytest.raises(Threat.DoesNotExist):
        threat_detail(user=poc_adviser, pk=other.pk)


@pytest.mark.parametrize("size", [1, 20])
def test_threat_detail_query_count_does_not_grow_with_communities_or_actions(
    size: int, mission_a: Mission, poc_adviser: User, django_assert_num_queries
) -> None:
    threat = _threat_with(mission_a, communities=size, actions=size)

    # Expected, whatever the size: the threat with its mission, phase, owner, risk level and
    # counts (membership scoping as subqueries); its communities with their areas; its
    # response actions with their tiers and phases; its affected areas. Then the plan reads
    # the tiers only.
    with django_assert_num_queries(5):
        detail = threat_detail(user=poc_adviser, pk=threat.pk)
        plan = threat_response_plan(threat=detail)
        for community in detail.communities.all():
            assert community.area.mission_id == mission_a.pk
        assert len(list(detail.areas.all())) == 1

    assert sum(tier.action_count for tier in plan) == size


def test_threat_detail_orders_actions_by_tier_phase_and_due_date(
    mission_a: Mission, poc_adviser: User
) -> None:
    # given actions created out of order, one without a due date
    threat = ThreatFactory(mission=mission_a)
    t1, t2 = TierFactory(number=1), TierFactory(number=2)
    p1, p2 = PhaseFactory(number=1), PhaseFactory(number=2)
    late = datetime.date(2026, 6, 1)
    soon = datetime.date(2026, 4, 1)
    created = [
        ResponseActionFactory(threat=threat, tier=t2, phase=p1, due_on=soon),
        ResponseActionFactory(threat=threat, tier=t1, phase=p2, due_on=soon),
        ResponseActionFactory(threat=threat, tier=t1, phase=p1, due_on=None),
        ResponseActionFactory(threat=threat, tier=t1, phase=p1, due_on=late),
        ResponseActionFactory(threat=threat, tier=t1, phase=p1, due_on=soon),
    ]
    # when
    actions = list(threat_detail(user=poc_adviser, pk=threat.pk).response_actions.all())
    # then tier, then phase, then due date with undated actions last
    assert actions == [created[4], created[3], created[2], created[1], created[0]]


# --- threat_response_plan -----------------------------------------------------------------------


def test_threat_response_plan_groups_by_tier_then_phase_with_every_tier(
    mission_a: Mission,
) -> None:
    # given the three shipped tiers, and actions in tier I (two phases) and tier III only
    tiers = list(Tier.objects.order_by("number"))
    assert [tier.number for tier in tiers] == [1, 2, 3]
    threat = ThreatFactory(mission=mission_a)
    prevention, response = PhaseFactory(number=1), PhaseFactory(number=3)
    a = ResponseActionFactory(threat=threat, tier=tiers[0], phase=prevention)
    b = ResponseActionFactory(threat=threat, tier=tiers[0], phase=response)
    c = ResponseActionFactory(threat=threat, tier=tiers[0], phase=prevention)
    d = ResponseActionFactory(threat=threat, tier=tiers[2], phase=response)
    ResponseActionFactory(tier=tiers[1])  # another threat's action
    # when
    plan = threat_response_plan(threat=threat)
    # then every tier is there, tier II empty
    assert [tier_plan.tier for tier_plan in plan] == tiers
    assert [
        [(phase_plan.phase, phase_plan.actions) for phase_plan in tier_plan.phases]
        for tier_plan in plan
    ] == [[(prevention, [a, c]), (response, [b])], [], [(response, [d])]]


# --- risk_matrix --------------------------------------------------------------------------------


def test_risk_matrix_counts_only_the_missions_open_threats(
    mission_a: Mission, mission_b: Mission, poc_adviser: User
) -> None:
    # given open threats in two cells, a resolved one, and another mission's threat
    for _ in range(2):
        ThreatFactory(mission=mission_a, likelihood=4, impact=5)
    ThreatFactory(mission=mission_a, likelihood=1, impact=2, status=ThreatStatus.EMERGING)
    ThreatFactory(mission=mission_a, likelihood=1, impact=2, status=ThreatStatus.CONTAINED)
    ThreatFactory(
        mission=mission_a,
        likelihood=4,
        impact=5,
        status=ThreatStatus.RESOLVED,
        closed_on=datetime.date(2026, 2, 1),
    )
    ThreatFactory(mission=mission_b, likelihood=4, impact=5)
    # when
    matrix = risk_matrix(user=poc_adviser, mission=mission_a)
    # then
    assert matrix.cell(4, 5).count == 2
    assert matrix.cell(1, 2).count == 2
    assert matrix.total == 4
    assert [[cell.likelihood for cell in row] for row in matrix.rows] == [
        [likelihood] * 5 for likelihood in (5, 4, 3, 2, 1)
    ]
    assert [cell.impact for cell in matrix.rows[0]] == [1, 2, 3, 4, 5]


def test_risk_matrix_cells_take_the_missions_bands(mission_a: Mission, poc_adviser: User) -> None:
    Mission.objects.filter(pk=mission_a.pk).update(
        risk_medium_from=3, risk_high_from=8, risk_very_high_from=15
    )

    matrix = risk_matrix(user=poc_adviser, mission=mission_a)

    assert [cell.level for cell in matrix.rows[4]] == [  # likelihood 1: scores 1 to 5
        RiskLevel.LOW,
        RiskLevel.LOW,
        RiskLevel.MEDIUM,
        RiskLevel.MEDIUM,
        RiskLevel.MEDIUM,
    ]
    assert matrix.cell(3, 5).level == RiskLevel.VERY_HIGH  # 15
    assert matrix.cell(2, 4).level == RiskLevel.HIGH  # 8


def test_risk_matrix_is_two_queries_whatever_the_number_of_threats(
    mission_a: Mission, poc_adviser: User, django_assert_num_queries
) -> None:
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            ThreatFactory(mission=mission_a, likelihood=likelihood, impact=impact)

    # the mission (visibility and bands), then one GROUP BY over its open threats
    with django_assert_num_queries(2):
        matrix = risk_matrix(user=poc_adviser, mission=mission_a)

    assert matrix.total == 25


def test_risk_matrix_of_another_mission_does_not_exist(
    mission_b: Mission, poc_adviser: User
) -> None:
    with pytest.raises(Mission.DoesNotExist):
        risk_matrix(user=poc_adviser, mission=mission_b)
