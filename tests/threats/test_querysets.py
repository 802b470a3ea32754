import datetime
import itertools

import pytest

from accounts.models import User
from missions.choices import RiskLevel
from missions.models import Mission
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import AlertFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory, MissionFactory
from tests.factories.threats import ThreatFactory
from threats.choices import PerpetratorCategory, ThreatStatus
from threats.models import Threat

pytestmark = pytest.mark.django_db


def test_threat_high_risk_uses_each_missions_band() -> None:
    # given a score of 12 in a mission whose high band starts at 10 and in one where it starts at 15
    default_bands = MissionFactory()
    relaxed_bands = MissionFactory(risk_medium_from=8, risk_high_from=15, risk_very_high_from=20)
    high = ThreatFactory(mission=default_bands, likelihood=3, impact=4)
    ThreatFactory(mission=relaxed_bands, likelihood=3, impact=4)
    ThreatFactory(mission=default_bands, likelihood=3, impact=3)  # 9: medium

    # then only the first is high risk
    assert list(Threat.objects.high_risk()) == [high]


def test_threat_open_leaves_out_resolved_threats(mission_a: Mission) -> None:
    open_threats = [
        ThreatFactory(mission=mission_a, status=status)
        for status in (ThreatStatus.EMERGING, ThreatStatus.ACTIVE, ThreatStatus.CONTAINED)
    ]
    ThreatFactory(
        mission=mission_a, status=ThreatStatus.RESOLVED, closed_on=datetime.date(2026, 2, 1)
    )

    assert set(Threat.objects.open()) == set(open_threats)
    assert list(Threat.objects.active()) == [open_threats[1]]


def test_threat_host_state_filters_on_perpetrator(mission_a: Mission) -> None:
    host_state = ThreatFactory(
        mission=mission_a, perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES
    )
    ThreatFactory(mission=mission_a)

    assert list(Threat.objects.host_state()) == [host_state]


def test_threat_by_risk_puts_the_highest_score_first(mission_a: Mission) -> None:
    low = ThreatFactory(mission=mission_a, likelihood=1, impact=2)
    top = ThreatFactory(mission=mission_a, likelihood=5, impact=5)
    middle = ThreatFactory(mission=mission_a, likelihood=3, impact=3)

    assert list(Threat.objects.by_risk()) == [top, middle, low]


# --- risk level ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bands",
    [
        pytest.param((5, 10, 17), id="default-bands"),
        # every band starts on a score a threat can have (3 = 1×3, 8 = 2×4, 15 = 3×5), so
        # each "from" is hit exactly as well as from either side
        pytest.param((3, 8, 15), id="bands-on-reachable-scores"),
    ],
)
def test_threat_with_risk_level_agrees_with_the_missions_rule(bands: tuple[int, int, int]) -> None:
    # given a threat for every likelihood × impact pair, so every score a threat can have
    medium, high, very_high = bands
    mission = MissionFactory(
        risk_medium_from=medium, risk_high_from=high, risk_very_high_from=very_high
    )
    for likelihood, impact in itertools.product(range(1, 6), repeat=2):
        ThreatFactory(mission=mission, likelihood=likelihood, impact=impact)
    # when the register annotates their levels
    annotated = Threat.objects.with_risk_level().values_list("risk_score", "risk_level")
    # then each is the level the mission's one-row rule gives the score
    assert len(annotated) == 25
    assert [(score, level) for score, level in annotated] == [
        (score, mission.risk_level(score)) for score, _ in annotated
    ]
    assert {level for _, level in annotated} == set(RiskLevel)


def test_threat_with_risk_level_reads_each_threats_own_mission() -> None:
    # given the same score (12) in two missions with different bands
    relaxed = ThreatFactory(mission=MissionFactory(), likelihood=3, impact=4)
    strict = ThreatFactory(
        mission=MissionFactory(risk_medium_from=3, risk_high_from=6, risk_very_high_from=12),
        likelihood=3,
        impact=4,
    )
    # when both are read in one query
    levels = dict(Threat.objects.with_risk_level().values_list("pk", "risk_level"))
    # then each follows its own mission
    assert levels == {relaxed.pk: RiskLevel.HIGH, strict.pk: RiskLevel.VERY_HIGH}


def test_threat_with_risk_level_is_one_query_for_many_threats(
    mission_a: Mission, django_assert_num_queries
) -> None:
    for likelihood in range(1, 6):
        ThreatFactory(mission=mission_a, likelihood=likelihood, impact=5)

    # one query: the threats joined to their missions' bands, never one per threat
    with django_assert_num_queries(1):
        levels = [threat.risk_level for threat in Threat.objects.with_risk_level()]

    assert sorted(levels) == sorted(["medium", "high", "high", "very_high", "very_high"])


# --- counts and reviews -------------------------------------------------------------------------


def _linked_records(threat: Threat, incidents: int, alerts: int, activities: int) -> None:
    area = LocalityFactory(mission=threat.mission)
    for _ in range(incidents):
        IncidentFactory(mission=threat.mission, area=area, threat=threat)
    for _ in range(alerts):
        AlertFactory(mission=threat.mission, area=area, threat=threat)
    for _ in range(activities):
        ProtectionActivityFactory(mission=threat.mission, area=area, threat=threat)


def test_threat_with_counts_counts_each_kind_without_fan_out(
    mission_a: Mission, poc_adviser: User
) -> None:
    # given two threats with several records of each kind (a join would multiply them: 2×3×4)
    busy = ThreatFactory(mission=mission_a)
    quiet = ThreatFactory(mission=mission_a)
    _linked_records(busy, incidents=2, alerts=3, activities=4)
    _linked_records(quiet, incidents=0, alerts=1, activities=0)
    # when
    counts = {
        t.pk: (t.incident_count, t.alert_count, t.activity_count)
        for t in Threat.objects.with_counts(poc_adviser)
    }
    # then
    assert counts == {busy.pk: (2, 3, 4), quiet.pk: (0, 1, 0)}


def test_threat_with_counts_leaves_out_incidents_the_user_may_not_know_of(
    mission_a: Mission, joc_officer: User, poc_adviser: User
) -> None:
    # given a threat with one ordinary and one restricted sexual-violence incident
    threat = ThreatFactory(mission=mission_a)
    area = LocalityFactory(mission=mission_a)
    IncidentFactory(mission=mission_a, area=area, threat=threat)
    IncidentFactory(mission=mission_a, area=area, threat=threat, sexual_violence=True)

    def incident_count(user: User) -> int:
        return Threat.objects.with_counts(user).get(pk=threat.pk).incident_count

    # then the POC adviser (need to know) counts both; the JOC officer only the one they see
    assert incident_count(poc_adviser) == 2
    assert incident_count(joc_officer) == 1


def test_threat_due_for_review_keeps_open_threats_due_by_the_day(mission_a: Mission) -> None:
    day = datetime.date(2026, 4, 1)
    due = ThreatFactory(mission=mission_a, next_review_on=day)
    overdue = ThreatFactory(mission=mission_a, next_review_on=day - datetime.timedelta(days=30))
    ThreatFactory(mission=mission_a, next_review_on=day + datetime.timedelta(days=1))
    ThreatFactory(mission=mission_a, next_review_on=None)
    ThreatFactory(
        mission=mission_a,
        next_review_on=day,
        status=ThreatStatus.RESOLVED,
        closed_on=datetime.date(2026, 3, 1),
    )

    assert set(Threat.objects.due_for_review(day)) == {due, overdue}
