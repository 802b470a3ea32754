"""A threat's risk history: each re-scoring is kept, and past figures read the one in force."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from time_machine import TimeMachineFixture

from accounts.models import User
from audit.choices import AuditAction
from audit.models import AuditEntry
from indicators.choices import Derivation
from missions.choices import RiskLevel
from missions.models import Mission
from tests.factories.commitments import PhaseFactory
from tests.figures import monthly_figure
from threats.choices import PerpetratorCategory, ThreatStatus, Trend, ViolenceType
from threats.models import Threat, ThreatAssessment
from threats.selectors import threat_risk_history
from threats.services import threat_create, threat_update

pytestmark = pytest.mark.django_db

IDENTIFIED = datetime.date(2026, 1, 15)
MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)
HIGH_RISK = Derivation.HIGH_RISK_THREATS


def _at(time_machine: TimeMachineFixture, day: datetime.date, hour: int = 10) -> None:
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)


def _identify(by: User, mission: Mission, **fields: object) -> Threat:
    values = {
        "title": "Armed group raids on villages",
        "threat_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.NON_STATE_ARMED_GROUP,
        "likelihood": 3,
        "impact": 3,  # 9: medium under the default bands (high from 10)
        "phase": PhaseFactory(number=2),
        "status": ThreatStatus.ACTIVE,
        "identified_on": IDENTIFIED,
        **fields,
    }
    return threat_create(by=by, mission=mission, **values)


def _history(threat: Threat) -> list[tuple[datetime.date, datetime.date | None, int]]:
    return [
        (a.valid_from, a.valid_to, a.risk_score)
        for a in ThreatAssessment.objects.filter(threat=threat).order_by("valid_from")
    ]


def _entries(assessment: ThreatAssessment) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ThreatAssessment),
            object_id=assessment.pk,
        )
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_threat_create_writes_the_first_assessment_from_identification(
    poc_adviser: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))

    threat = _identify(poc_adviser, mission_a)

    first = threat.assessments.get()
    assert (first.valid_from, first.valid_to, first.risk_score) == (IDENTIFIED, None, 9)
    assert (first.trend, first.phase_id, first.mission_id) == (
        threat.trend,
        threat.phase_id,
        mission_a.pk,
    )
    assert first.assessed_by == poc_adviser
    assert _entries(first) == [AuditAction.CREATE]


def test_threat_rescored_on_1_april_counts_as_high_risk_from_april_only(
    poc_adviser: User,
    mission_a: Mission,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    # given a medium-risk threat open since January
    _at(time_machine, datetime.date(2026, 2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(poc_adviser, mission_a)

    # when it is re-scored high on 1 April
    _at(time_machine, APRIL)
    with django_capture_on_commit_callbacks(execute=True):
        threat_update(threat=threat, by=poc_adviser, data={"likelihood": 4, "impact": 4})

    # then March keeps the medium risk in force at its end, and April counts it as high
    assert not monthly_figure(HIGH_RISK, mission_a, MARCH)
    assert monthly_figure(HIGH_RISK, mission_a, APRIL) == 1
    assert _history(threat) == [(IDENTIFIED, APRIL, 9), (APRIL, None, 16)]


def test_threat_rescored_twice_in_a_day_keeps_one_assessment_for_the_day(
    poc_adviser: User, jmac_analyst: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)
    _at(time_machine, APRIL, hour=9)
    threat = threat_update(threat=threat, by=poc_adviser, data={"likelihood": 4})

    # when it is re-scored again later that day
    _at(time_machine, APRIL, hour=16)
    threat_update(threat=threat, by=jmac_analyst, data={"impact": 5, "trend": Trend.INCREASING})

    # then the day's assessment is corrected in place
    assert _history(threat) == [(IDENTIFIED, APRIL, 9), (APRIL, None, 20)]
    today = threat.assessments.get(valid_from=APRIL)
    assert (today.trend, today.assessed_by) == (Trend.INCREASING, jmac_analyst)
    assert today.assessed_at == datetime.datetime(2026, 4, 1, 16, tzinfo=datetime.UTC)
    assert _entries(today) == [AuditAction.CREATE, AuditAction.UPDATE]


def test_threat_rescoring_audits_the_closed_and_the_new_assessment(
    poc_adviser: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)
    first = threat.assessments.get()

    _at(time_machine, APRIL)
    threat_update(threat=threat, by=poc_adviser, data={"phase": PhaseFactory(number=3)})

    closing = AuditEntry.objects.filter(object_id=first.pk, action=AuditAction.UPDATE).get(
        content_type=ContentType.objects.get_for_model(ThreatAssessment)
    )
    assert closing.changes["valid_to"] == [None, "2026-04-01"]
    assert closing.actor == poc_adviser
    assert _entries(threat.assessments.get(valid_from=APRIL)) == [AuditAction.CREATE]


def test_threat_update_of_other_fields_writes_no_assessment(
    poc_adviser: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)

    _at(time_machine, APRIL)
    threat_update(threat=threat, by=poc_adviser, data={"title": "Raids on the Beni road"})

    assert _history(threat) == [(IDENTIFIED, None, 9)]


def test_threat_update_refused_by_the_policy_writes_no_assessment(
    poc_adviser: User, joc_officer: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)

    with pytest.raises(PermissionDenied):
        threat_update(threat=threat, by=joc_officer, data={"likelihood": 5})

    assert _history(threat) == [(IDENTIFIED, None, 9)]


def test_threat_update_back_dated_fills_the_gap_since_the_last_assessment(
    poc_adviser: User,
    mission_a: Mission,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        threat = _identify(poc_adviser, mission_a)

    # when, in April, a re-scoring agreed at the March review is entered as of 1 March
    _at(time_machine, datetime.date(2026, 4, 20))
    with django_capture_on_commit_callbacks(execute=True):
        threat_update(threat=threat, by=poc_adviser, data={"impact": 4}, assessed_on=MARCH)

    assert _history(threat) == [(IDENTIFIED, MARCH, 9), (MARCH, None, 12)]
    assert monthly_figure(HIGH_RISK, mission_a, datetime.date(2026, 2, 1)) is None
    assert monthly_figure(HIGH_RISK, mission_a, MARCH) == 1


@pytest.mark.parametrize(
    "assessed_on",
    [datetime.date(2026, 1, 31), datetime.date(2026, 4, 21)],
    ids=["before-the-one-in-force", "future"],
)
def test_threat_update_refuses_a_back_dating_that_rewrites_the_history(
    assessed_on: datetime.date,
    poc_adviser: User,
    mission_a: Mission,
    time_machine: TimeMachineFixture,
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = threat_update(threat=threat, by=poc_adviser, data={"impact": 4})

    _at(time_machine, datetime.date(2026, 4, 20))
    with pytest.raises(ValidationError) as raised:
        threat_update(threat=threat, by=poc_adviser, data={"impact": 5}, assessed_on=assessed_on)

    assert "assessed_on" in raised.value.message_dict
    threat.refresh_from_db()
    assert threat.impact == 4
    assert _history(threat) == [
        (IDENTIFIED, datetime.date(2026, 2, 10), 9),
        (datetime.date(2026, 2, 10), None, 12),
    ]


def test_threat_update_earlier_identification_starts_the_history_earlier(
    poc_adviser: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)

    earlier = datetime.date(2026, 1, 2)
    threat_update(threat=threat, by=poc_adviser, data={"identified_on": earlier})

    assert _history(threat) == [(earlier, None, 9)]


def test_threat_risk_history_lists_each_assessment_newest_first_with_who_and_when(
    poc_adviser: User,
    jmac_analyst: User,
    mission_a: Mission,
    time_machine: TimeMachineFixture,
) -> None:
    _at(time_machine, datetime.date(2026, 2, 10))
    threat = _identify(poc_adviser, mission_a)
    _at(time_machine, APRIL, hour=11)
    threat_update(threat=threat, by=jmac_analyst, data={"likelihood": 5, "impact": 4})

    history = threat_risk_history(user=poc_adviser, threat=threat)

    assert [(entry.valid_from, entry.valid_to) for entry in history] == [
        (APRIL, None),
        (IDENTIFIED, APRIL),
    ]
    assert [(entry.risk_score, entry.level) for entry in history] == [
        (20, RiskLevel.VERY_HIGH),
        (9, RiskLevel.MEDIUM),
    ]
    assert [entry.assessed_by for entry in history] == [jmac_analyst, poc_adviser]
    assert history[0].assessed_at == datetime.datetime(2026, 4, 1, 11, tzinfo=datetime.UTC)
    assert history[1].assessed_at == datetime.datetime(2026, 2, 10, 10, tzinfo=datetime.UTC)


def test_threat_risk_history_hides_another_missions_threat(
    poc_adviser: User, mission_b: Mission, administrator: User
) -> None:
    threat = _identify(administrator, mission_b)

    with pytest.raises(Threat.DoesNotExist):
        threat_risk_history(user=poc_adviser, threat=threat)
