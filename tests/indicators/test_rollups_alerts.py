"""Alerts in the figures: an alert awaiting a response counts as missed only once its standard
has passed, judged at the instant the figures are computed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from time_machine import TimeMachineFixture

from accounts.models import User
from alerts.choices import AlertSource, Severity
from alerts.services import alert_create
from indicators.choices import Derivation
from indicators.models import Indicator, Rollup
from indicators.rollups import rollup_rebuild
from missions.models import Area, Mission
from tests.factories.missions import LocalityFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)


def _month(derivation: str, mission: Mission) -> Rollup:
    """The whole mission's figure for March 2026, all alerts."""
    return Rollup.objects.get(
        indicator=Indicator.objects.get(derivation=derivation),
        mission=mission,
        area__isnull=True,
        period="month",
        period_start=datetime.date(2026, 3, 1),
        disaggregation="total",
        breakdown="",
    )


def _alert(
    by: User, area: Area, received_at: datetime.datetime, arrived_at: datetime.datetime | None
) -> None:
    alert_create(
        by=by,
        mission=area.mission,
        area=area,
        source=AlertSource.COMMUNITY_ALERT_NETWORK,
        severity=Severity.HIGH,
        summary="armed men seen near the market",
        received_at=received_at,
        arrived_at=arrived_at,
    )


@pytest.fixture
def alerts_logged(
    mission_a: Mission,
    joc_officer: User,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: Callable,
) -> Mission:
    """At NOW, under a 24-hour standard: one alert answered in 1 hour, one received an hour ago
    and still awaiting a response; each refreshes its buckets on commit."""
    mission_a.alert_response_standard_hours = 24
    mission_a.save()
    locality = LocalityFactory(mission=mission_a)
    time_machine.move_to(NOW, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        _alert(joc_officer, locality, NOW - 10 * HOUR, NOW - 9 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        _alert(joc_officer, locality, NOW - HOUR, None)
    return mission_a


def test_alerts_within_standard_leaves_out_an_alert_whose_standard_still_runs(
    alerts_logged: Mission,
) -> None:
    # given an alert received an hour ago, with 23 hours of its standard left
    # when the figures are computed now (refreshed on commit, then rebuilt)
    for _computed in ("refresh", "rebuild"):
        # then it is neither answered nor missed: the share is the answered alert's alone …
        share = _month(Derivation.ALERTS_WITHIN_STANDARD, alerts_logged)
        assert (share.numerator, share.denominator) == (1, 1)
        assert share.value == Decimal(100)
        # … while both alerts were received, and only the answered one has a response time
        assert _month(Derivation.ALERTS_RECEIVED, alerts_logged).value == 2
        assert _month(Derivation.ALERT_MEDIAN_RESPONSE, alerts_logged).value == 1
        rollup_rebuild(mission=alerts_logged)


def test_alerts_within_standard_counts_an_unanswered_alert_missed_once_its_standard_passed(
    alerts_logged: Mission, time_machine: TimeMachineFixture
) -> None:
    # given the same alerts, 24 hours later: the standard has run out exactly, and an arrival
    # now would still count in time
    time_machine.move_to(NOW + 23 * HOUR, tick=False)
    rollup_rebuild(mission=alerts_logged)
    assert _month(Derivation.ALERTS_WITHIN_STANDARD, alerts_logged).denominator == 1
    # when the nightly rebuild runs 25 hours after the figures were first computed
    time_machine.move_to(NOW + 25 * HOUR, tick=False)
    rollup_rebuild(mission=alerts_logged)
    # then the unanswered alert counts as missed, with no change to its record
    share = _month(Derivation.ALERTS_WITHIN_STANDARD, alerts_logged)
    assert (share.numerator, share.denominator) == (1, 2)
    assert share.value == Decimal(50)
    assert _month(Derivation.ALERTS_RECEIVED, alerts_logged).value == 2
    assert _month(Derivation.ALERT_MEDIAN_RESPONSE, alerts_logged).value == 1
