import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from alerts.choices import AlertOutcome, AlertSource, Severity
from alerts.models import Alert
from alerts.services import (
    alert_acknowledge,
    alert_create,
    alert_delete,
    alert_record_response,
    alert_update,
)
from indicators.choices import Derivation
from missions.models import Area, Mission
from tests.factories.commitments import TierFactory
from tests.factories.missions import LocalityFactory
from tests.figures import monthly_figure

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)
RECEIVED = Derivation.ALERTS_RECEIVED
RECEIVED_AT = datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC)
KINSHASA = zoneinfo.ZoneInfo("Africa/Kinshasa")


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


def _raise(by: User, mission: Mission, area: Area, **fields: object) -> Alert:
    values = {
        "source": AlertSource.COMMUNITY_ALERT_NETWORK,
        "severity": Severity.HIGH,
        "summary": "Armed men seen near the village",
        "received_at": RECEIVED_AT,
        **fields,
    }
    return alert_create(by=by, mission=mission, area=area, **values)


def test_alert_create_counts_in_the_months_figures(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(joc_officer, mission_a, locality)

    assert alert.logged_by == joc_officer
    assert monthly_figure(RECEIVED, mission_a, MARCH) == 1
    assert monthly_figure(RECEIVED, mission_a, MARCH, area=locality) == 1


def test_alert_create_counts_on_the_local_day_received(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    # half past midnight on 1 April in Kinshasa, the mission's zone, is still 31 March in UTC
    received_at = datetime.datetime(2026, 4, 1, 0, 30, tzinfo=KINSHASA)

    with django_capture_on_commit_callbacks(execute=True):
        _raise(joc_officer, mission_a, locality, received_at=received_at)

    assert monthly_figure(RECEIVED, mission_a, MARCH) is None
    assert monthly_figure(RECEIVED, mission_a, APRIL) == 1


@pytest.mark.parametrize("user", ["outsider", "leadership", "secretariat"])
def test_alert_create_refuses_users_who_may_not_log_in_the_mission(
    user: str, request: pytest.FixtureRequest, mission_a: Mission, locality: Area
) -> None:
    with pytest.raises(PermissionDenied):
        _raise(request.getfixturevalue(user), mission_a, locality)

    assert not Alert.objects.exists()


def test_alert_create_rejects_an_area_of_another_mission(
    joc_officer: User, mission_a: Mission, mission_b: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        _raise(joc_officer, mission_a, LocalityFactory(mission=mission_b))

    assert not Alert.objects.exists()
    assert callbacks == []


def test_alert_update_moves_the_figures_to_the_new_month(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(joc_officer, mission_a, locality)

    with django_capture_on_commit_callbacks(execute=True):
        alert_update(
            alert=alert, by=joc_officer, data={"received_at": RECEIVED_AT.replace(month=4)}
        )

    assert monthly_figure(RECEIVED, mission_a, MARCH) is None
    assert monthly_figure(RECEIVED, mission_a, APRIL) == 1


def test_alert_update_refuses_an_outsider(
    joc_officer: User, outsider: User, mission_a: Mission, locality: Area
) -> None:
    alert = _raise(joc_officer, mission_a, locality)

    with pytest.raises(PermissionDenied):
        alert_update(alert=alert, by=outsider, data={"summary": "Nothing happened"})


def test_alert_delete_takes_it_out_of_the_figures(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(joc_officer, mission_a, locality)

    with django_capture_on_commit_callbacks(execute=True):
        alert_delete(alert=alert, by=joc_officer)

    assert not Alert.objects.exists()
    assert monthly_figure(RECEIVED, mission_a, MARCH) is None


def test_alert_acknowledge_records_the_time(
    joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    alert = _raise(joc_officer, mission_a, locality)
    at = RECEIVED_AT + datetime.timedelta(minutes=20)

    alert = alert_acknowledge(alert=alert, by=joc_officer, at=at)

    assert alert.acknowledged_at == at
    alert.refresh_from_db()
    assert alert.acknowledged_at == at


def test_alert_acknowledge_is_idempotent(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    # given an alert acknowledged 20 minutes after it came in
    alert = _raise(joc_officer, mission_a, locality)
    first = RECEIVED_AT + datetime.timedelta(minutes=20)
    alert_acknowledge(alert=alert, by=joc_officer, at=first)

    # when it is acknowledged again
    with django_capture_on_commit_callbacks() as callbacks:
        again = alert_acknowledge(
            alert=alert, by=joc_officer, at=first + datetime.timedelta(hours=1)
        )

    # then the first acknowledgement stands and nothing is recomputed
    assert again.acknowledged_at == first
    assert Alert.objects.get(pk=alert.pk).acknowledged_at == first
    assert callbacks == []


def test_alert_acknowledge_rejects_a_time_before_receipt(
    joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    alert = _raise(joc_officer, mission_a, locality)

    with pytest.raises(ValidationError):
        alert_acknowledge(alert=alert, by=joc_officer, at=RECEIVED_AT - datetime.timedelta(hours=1))

    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None


def test_alert_acknowledge_refuses_an_outsider(
    joc_officer: User, outsider: User, mission_a: Mission, locality: Area
) -> None:
    alert = _raise(joc_officer, mission_a, locality)

    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, by=outsider)

    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None


def test_alert_record_response_refreshes_the_response_figures(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    # given an alert, with a 24-hour standard
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(joc_officer, mission_a, locality)

    # when a patrol deployed after an hour arrives four hours after receipt
    with django_capture_on_commit_callbacks(execute=True):
        alert_record_response(
            alert=alert,
            by=joc_officer,
            tier=TierFactory(number=2),
            decided="Patrol to the village",
            deployed_at=RECEIVED_AT + datetime.timedelta(hours=1),
            arrived_at=RECEIVED_AT + datetime.timedelta(hours=4),
            outcome=AlertOutcome.VIOLENCE_AVERTED,
        )

    # then the month's median response time is four hours, all within the standard
    assert monthly_figure(Derivation.ALERT_MEDIAN_RESPONSE, mission_a, MARCH) == 4
    assert monthly_figure(Derivation.ALERTS_WITHIN_STANDARD, mission_a, MARCH) == 100


def test_alert_record_response_twice_changes_nothing(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    alert = _raise(joc_officer, mission_a, locality)
    response = {
        "tier": TierFactory(number=2),
        "decided": "Patrol to the village",
        "deployed_at": RECEIVED_AT + datetime.timedelta(hours=1),
    }
    alert_record_response(alert=alert, by=joc_officer, **response)

    with django_capture_on_commit_callbacks() as callbacks:
        alert_record_response(alert=alert, by=joc_officer, **response)

    assert callbacks == []


def test_alert_record_response_rejects_arrival_before_deployment(
    joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    alert = _raise(joc_officer, mission_a, locality)

    with pytest.raises(ValidationError):
        alert_record_response(
            alert=alert,
            by=joc_officer,
            tier=TierFactory(number=2),
            decided="Patrol to the village",
            deployed_at=RECEIVED_AT + datetime.timedelta(hours=3),
            arrived_at=RECEIVED_AT + datetime.timedelta(hours=2),
        )

    assert Alert.objects.get(pk=alert.pk).deployed_at is None


def test_alert_acknowledge_refuses_a_far_time_as_a_field_error(
    joc_officer: User, mission_a: Mission
) -> None:
    from tests.factories.alerts import AlertFactory

    alert = AlertFactory(mission=mission_a)
    far = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)

    with pytest.raises(ValidationError) as refusal:
        alert_acknowledge(alert=alert, by=joc_officer, at=far)

    assert "acknowledged_at" in refusal.value.message_dict
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
