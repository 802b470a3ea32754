"""Records count on their day in the mission's time zone, and figures stand as of its today."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from time_machine import TimeMachineFixture

from accounts.models import User
from alerts.choices import AlertSource, Severity
from alerts.models import Alert
from alerts.services import alert_create, alert_update
from indicators.choices import Derivation
from indicators.models import Rollup
from indicators.rollups import rollup_rebuild
from missions.models import Mission
from missions.services import mission_update
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import PhaseFactory
from tests.factories.missions import LocalityFactory
from tests.integrity import rejected_by
from tests.record_dates import LAST, TODAY
from threats.choices import PerpetratorCategory, ThreatStatus, ViolenceType
from threats.services import threat_create

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 00:44 on 1 February in Kinshasa (UTC+1, the missions' zone in the factories)
FIRST_FEBRUARY_0044 = datetime.datetime(2026, 1, 31, 23, 44, tzinfo=UTC)


def _periods(day: datetime.date) -> dict[tuple[str, datetime.date], Decimal]:
    """The ISO week, month, quarter and year of a day, by kind and first day, counting one."""
    return {
        ("week", day - datetime.timedelta(days=day.weekday())): Decimal(1),
        ("month", day.replace(day=1)): Decimal(1),
        ("quarter", datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)): Decimal(1),
        ("year", datetime.date(day.year, 1, 1)): Decimal(1),
    }


def _figures(derivation: str, mission: Mission) -> dict[tuple[str, datetime.date], Decimal]:
    """A derived indicator's official whole-mission totals, by period kind and first day."""
    rows = Rollup.objects.filter(
        indicator__derivation=derivation,
        mission=mission,
        area=None,
        disaggregation="total",
        breakdown="",
    ).values_list("period", "period_start", "value")
    return {(period, start): value for period, start, value in rows if value is not None}


def _receive(by: User, mission: Mission, received_at: datetime.datetime) -> Alert:
    return alert_create(
        by=by,
        mission=mission,
        area=LocalityFactory(mission=mission),
        source=AlertSource.COMMUNITY_ALERT_NETWORK,
        severity=Severity.HIGH,
        summary="Armed men seen near the village",
        received_at=received_at,
    )


@pytest.mark.parametrize(
    ("received_at", "local_day"),
    [
        pytest.param(FIRST_FEBRUARY_0044, datetime.date(2026, 2, 1), id="month"),
        pytest.param(
            datetime.datetime(2026, 3, 31, 23, 44, tzinfo=UTC),
            datetime.date(2026, 4, 1),
            id="quarter",
        ),
        pytest.param(
            datetime.datetime(2025, 12, 31, 23, 44, tzinfo=UTC),
            datetime.date(2026, 1, 1),
            id="year",
        ),
        # Sunday 1 March in UTC, Monday 2 March in Kinshasa
        pytest.param(
            datetime.datetime(2026, 3, 1, 23, 44, tzinfo=UTC), datetime.date(2026, 3, 2), id="week"
        ),
    ],
)
def test_alert_counts_in_the_periods_of_its_local_day(
    joc_officer: User,
    mission_a: Mission,
    django_capture_on_commit_callbacks,
    received_at: datetime.datetime,
    local_day: datetime.date,
) -> None:
    day = local_day
    # given a mission in Kinshasa, when an alert is received just after local midnight
    with django_capture_on_commit_callbacks(execute=True):
        alert = _receive(joc_officer, mission_a, received_at)
    # then it is dated, and counted by the refresh and the rebuild, on its local day
    assert alert.received_on == day
    assert _figures(Derivation.ALERTS_RECEIVED, mission_a) == _periods(day)
    rollup_rebuild(mission=mission_a)
    assert _figures(Derivation.ALERTS_RECEIVED, mission_a) == _periods(day)


def test_alert_received_at_0044_on_1_february_counts_in_february_not_january(
    joc_officer: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _receive(joc_officer, mission_a, FIRST_FEBRUARY_0044)
    figures = _figures(Derivation.ALERTS_RECEIVED, mission_a)
    assert figures[("month", datetime.date(2026, 2, 1))] == 1
    assert ("month", datetime.date(2026, 1, 1)) not in figures


def test_alert_update_of_the_receipt_moves_its_local_day(
    joc_officer: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    # given an alert received at 22:44 local time on 31 January
    with django_capture_on_commit_callbacks(execute=True):
        alert = _receive(joc_officer, mission_a, FIRST_FEBRUARY_0044 - datetime.timedelta(hours=2))
    assert alert.received_on == datetime.date(2026, 1, 31)
    # when its receipt is corrected to two hours later, past local midnight
    with django_capture_on_commit_callbacks(execute=True):
        alert_update(alert=alert, by=joc_officer, data={"received_at": FIRST_FEBRUARY_0044})
    # then it is stored, and counted, on 1 February
    assert Alert.objects.get(pk=alert.pk).received_on == datetime.date(2026, 2, 1)
    assert _figures(Derivation.ALERTS_RECEIVED, mission_a) == _periods(datetime.date(2026, 2, 1))


def test_mission_time_zone_change_moves_its_alerts_to_their_new_local_day(
    joc_officer: User,
    administrator: User,
    mission_a: Mission,
    mission_b: Mission,
    django_capture_on_commit_callbacks,
) -> None:
    # given alerts received at 00:44 on 1 February in Kinshasa, in two missions
    with django_capture_on_commit_callbacks(execute=True):
        alert = _receive(joc_officer, mission_a, FIRST_FEBRUARY_0044)
    other = AlertFactory(mission=mission_b, received_at=FIRST_FEBRUARY_0044)
    # when one mission moves to UTC
    with django_capture_on_commit_callbacks(execute=True):
        mission_update(mission=mission_a, by=administrator, data={"time_zone": "UTC"})
    # then its alert falls on 31 January, in stored date and figures; the other stays
    assert Alert.objects.get(pk=alert.pk).received_on == datetime.date(2026, 1, 31)
    assert _figures(Derivation.ALERTS_RECEIVED, mission_a) == _periods(datetime.date(2026, 1, 31))
    assert Alert.objects.get(pk=other.pk).received_on == datetime.date(2026, 2, 1)


def test_threat_stock_stands_as_of_the_missions_local_today(
    poc_adviser: User,
    mission_a: Mission,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    # given 23:30 UTC on 31 March: already 1 April in Kinshasa
    time_machine.move_to(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), tick=False)
    april = datetime.date(2026, 4, 1)
    assert mission_a.local_date() == april
    # when a high-risk threat is identified on the mission's today
    with django_capture_on_commit_callbacks(execute=True):
        threat_create(
            by=poc_adviser,
            mission=mission_a,
            title="Armed group raids on villages",
            threat_type=ViolenceType.KILLING_MAIMING,
            perpetrator_category=PerpetratorCategory.NON_STATE_ARMED_GROUP,
            likelihood=4,
            impact=4,
            phase=PhaseFactory(number=2),
            status=ThreatStatus.ACTIVE,
            identified_on=april,
        )
    # then the running periods read it on 1 April, by the refresh and by the rebuild
    expected = _periods(april)
    assert _figures(Derivation.HIGH_RISK_THREATS, mission_a) == expected
    rollup_rebuild(mission=mission_a)
    assert _figures(Derivation.HIGH_RISK_THREATS, mission_a) == expected


def test_alert_create_refuses_a_receipt_whose_local_day_is_past_the_window(
    joc_officer: User, mission_a: Mission, time_machine: TimeMachineFixture
) -> None:
    # given the window of record dates ending on LAST, when an alert is received at 23:30 UTC
    # on LAST, already the next day in Kinshasa
    time_machine.move_to(TODAY, tick=False)
    late = datetime.datetime.combine(LAST, datetime.time(23, 30), tzinfo=UTC)
    # then it is refused on the field the user filled in
    with pytest.raises(ValidationError) as refused:
        _receive(joc_officer, mission_a, late)
    assert [e.code for e in refused.value.error_dict["received_at"]] == ["date_out_of_range"]
    assert not Alert.objects.exists()


def test_alert_received_on_is_checked_by_the_database(mission_a: Mission) -> None:
    alert = AlertFactory(mission=mission_a)
    with rejected_by("alerts_alert_received_on_in_range"):
        Alert.objects.filter(pk=alert.pk).update(received_on=datetime.date(1800, 1, 1))
