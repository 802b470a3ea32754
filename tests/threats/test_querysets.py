import datetime

import pytest

from missions.models import Mission
from tests.factories.missions import MissionFactory
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
