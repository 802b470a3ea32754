import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from missions.choices import RiskLevel
from tests.factories.missions import MissionFactory
from tests.factories.threats import (
    CommunityAtRiskFactory,
    ResponseActionFactory,
    ThreatFactory,
)
from tests.integrity import rejected_by
from threats.choices import PerpetratorCategory, ThreatStatus
from threats.models import CommunityAtRisk, ResponseAction, Threat

pytestmark = pytest.mark.django_db

IDENTIFIED = datetime.date(2026, 1, 15)  # ThreatFactory's identified_on


def _risk_level(threat: Threat) -> str:
    """The threat's level as the register reads it: annotated from its mission's bands."""
    return Threat.objects.with_risk_level().values_list("risk_level", flat=True).get(pk=threat.pk)


# --- constraints --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        pytest.param({"likelihood": 0}, "threats_threat_likelihood_1_5", id="likelihood-0"),
        pytest.param({"likelihood": 6}, "threats_threat_likelihood_1_5", id="likelihood-6"),
        pytest.param({"impact": 0}, "threats_threat_impact_1_5", id="impact-0"),
        pytest.param({"impact": 6}, "threats_threat_impact_1_5", id="impact-6"),
        pytest.param({"status": "forgotten"}, "threats_threat_status_valid", id="status"),
        pytest.param({"threat_type": "rumour"}, "threats_threat_type_valid", id="type"),
        pytest.param(
            {"perpetrator_category": "aliens"},
            "threats_threat_perpetrator_category_valid",
            id="perpetrator-category",
        ),
        pytest.param(
            {"status": ThreatStatus.RESOLVED},
            "threats_threat_closed_when_resolved",
            id="resolved-without-closing-date",
        ),
        pytest.param(
            {"closed_on": datetime.date(2026, 2, 1)},
            "threats_threat_closed_when_resolved",
            id="closing-date-while-open",
        ),
        pytest.param(
            {"status": ThreatStatus.RESOLVED, "closed_on": IDENTIFIED - datetime.timedelta(days=1)},
            "threats_threat_closed_after_identified",
            id="closed-before-identified",
        ),
    ],
)
def test_threat_database_rejects_bad_row(changes: dict, constraint: str) -> None:
    threat = ThreatFactory(status=ThreatStatus.ACTIVE)

    with rejected_by(constraint):
        Threat.objects.filter(pk=threat.pk).update(**changes)


def test_threat_resolved_with_closing_date_is_accepted() -> None:
    threat = ThreatFactory(status=ThreatStatus.RESOLVED, closed_on=IDENTIFIED)

    threat.refresh_from_db()

    assert (threat.status, threat.closed_on) == (ThreatStatus.RESOLVED, IDENTIFIED)


@pytest.mark.parametrize("field", ["women", "men", "girls", "boys"])
def test_community_at_risk_population_cannot_be_negative(field: str) -> None:
    community = CommunityAtRiskFactory()

    with rejected_by(field):
        CommunityAtRisk.objects.filter(pk=community.pk).update(**{field: -1})


def test_response_action_status_must_be_known() -> None:
    action = ResponseActionFactory()

    with rejected_by("threats_responseaction_status_valid"):
        ResponseAction.objects.filter(pk=action.pk).update(status="someday")


# --- risk score and level -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "impact"), list(itertools.product(range(1, 6), range(1, 6)))
)
def test_threat_risk_score_is_generated_by_the_database(likelihood: int, impact: int) -> None:
    threat = ThreatFactory(likelihood=likelihood, impact=impact)

    threat.refresh_from_db()

    assert threat.risk_score == likelihood * impact


def test_threat_risk_score_follows_an_update() -> None:
    threat = ThreatFactory(likelihood=2, impact=2)

    Threat.objects.filter(pk=threat.pk).update(likelihood=5)

    assert Threat.objects.values_list("risk_score", flat=True).get(pk=threat.pk) == 10


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, RiskLevel.LOW),  # 1
        (1, 4, RiskLevel.LOW),  # 4: just under medium (5)
        (1, 5, RiskLevel.MEDIUM),  # 5: medium from
        (3, 3, RiskLevel.MEDIUM),  # 9: just under high (10)
        (2, 5, RiskLevel.HIGH),  # 10: high from
        (4, 4, RiskLevel.HIGH),  # 16: just under very high (17)
        (5, 4, RiskLevel.VERY_HIGH),  # 20
        (5, 5, RiskLevel.VERY_HIGH),  # 25
    ],
)
def test_threat_risk_level_follows_the_default_bands(
    likelihood: int, impact: int, level: RiskLevel
) -> None:
    threat = ThreatFactory(likelihood=likelihood, impact=impact)  # bands 5 / 10 / 17

    assert _risk_level(threat) == level


def test_threat_risk_level_follows_its_missions_bands() -> None:
    # given the same score (12) in two missions with different bands
    default_bands = MissionFactory()
    strict_bands = MissionFactory(risk_medium_from=3, risk_high_from=6, risk_very_high_from=12)

    # when
    relaxed = ThreatFactory(mission=default_bands, likelihood=3, impact=4)
    strict = ThreatFactory(mission=strict_bands, likelihood=3, impact=4)

    # then
    assert _risk_level(relaxed) == RiskLevel.HIGH
    assert _risk_level(strict) == RiskLevel.VERY_HIGH


def test_threat_risk_level_changes_when_the_mission_moves_its_bands() -> None:
    threat = ThreatFactory(likelihood=2, impact=3)  # score 6
    assert _risk_level(threat) == RiskLevel.MEDIUM

    threat.mission.risk_medium_from = 7
    threat.mission.risk_high_from = 12
    threat.mission.save()

    assert _risk_level(threat) == RiskLevel.LOW


def test_risk_level_has_a_css_class_for_every_level() -> None:
    assert [level.css_class for level in RiskLevel] == [
        "risk-low",
        "risk-medium",
        "risk-high",
        "risk-very-high",
    ]


# --- host-state flag and clean() ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "flagged"),
    [
        (PerpetratorCategory.HOST_STATE_FORCES, True),
        (PerpetratorCategory.NON_STATE_ARMED_GROUP, False),
        (PerpetratorCategory.UNKNOWN, False),
    ],
)
def test_threat_host_state_perpetrator_is_flagged_by_the_database(
    category: str, flagged: bool
) -> None:
    threat = ThreatFactory(perpetrator_category=category)

    threat.refresh_from_db()

    assert threat.is_host_state_perpetrator is flagged


@pytest.mark.parametrize(
    ("status", "closed_on"),
    [
        (ThreatStatus.RESOLVED, None),
        (ThreatStatus.ACTIVE, datetime.date(2026, 2, 1)),
        (ThreatStatus.RESOLVED, IDENTIFIED - datetime.timedelta(days=1)),
    ],
)
def test_threat_clean_rejects_inconsistent_closing(
    status: str, closed_on: datetime.date | None
) -> None:
    threat = ThreatFactory.build(status=status, identified_on=IDENTIFIED, closed_on=closed_on)

    with pytest.raises(ValidationError) as excinfo:
        threat.clean()

    assert "closed_on" in excinfo.value.message_dict


def test_community_at_risk_total_people_adds_the_four_groups() -> None:
    community = CommunityAtRiskFactory.build(women=10, men=8, girls=5, boys=4)

    assert community.total_people == 27
