import datetime

import pytest
from django.core.exceptions import ValidationError

from alerts.models import Alert
from tests.factories.alerts import RECEIVED_AT, AlertFactory
from tests.factories.missions import MissionFactory
from tests.integrity import rejected_by

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
BEFORE_RECEIPT = RECEIVED_AT - datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        pytest.param(
            {"acknowledged_at": BEFORE_RECEIPT},
            "alerts_alert_acknowledged_after_received",
            id="acknowledged-before-received",
        ),
        pytest.param(
            {"deployed_at": BEFORE_RECEIPT},
            "alerts_alert_deployed_after_received",
            id="deployed-before-received",
        ),
        pytest.param(
            {"arrived_at": BEFORE_RECEIPT},
            "alerts_alert_response_after_received",
            id="arrived-before-received",
        ),
        pytest.param(
            {"deployed_at": RECEIVED_AT + 2 * HOUR, "arrived_at": RECEIVED_AT + HOUR},
            "alerts_alert_arrived_after_deployed",
            id="arrived-before-deployed",
        ),
        pytest.param({"severity": "dire"}, "alerts_alert_severity_valid", id="severity"),
    ],
)
def test_alert_database_rejects_bad_row(changes: dict, constraint: str) -> None:
    alert = AlertFactory()

    with rejected_by(constraint):
        Alert.objects.filter(pk=alert.pk).update(**changes)


def test_alert_full_response_timeline_is_accepted() -> None:
    alert = AlertFactory(
        acknowledged_at=RECEIVED_AT,
        deployed_at=RECEIVED_AT + HOUR,
        arrived_at=RECEIVED_AT + HOUR,  # arriving the moment it deploys is fine
    )

    alert.full_clean()

    assert alert.response_time() == HOUR


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"acknowledged_at": BEFORE_RECEIPT}, "acknowledged_at"),
        ({"deployed_at": BEFORE_RECEIPT}, "deployed_at"),
        ({"arrived_at": BEFORE_RECEIPT}, "arrived_at"),
        ({"deployed_at": RECEIVED_AT + 2 * HOUR, "arrived_at": RECEIVED_AT + HOUR}, "arrived_at"),
    ],
)
def test_alert_clean_rejects_a_timeline_out_of_order(changes: dict, field: str) -> None:
    alert = AlertFactory.build(**changes)

    with pytest.raises(ValidationError) as excinfo:
        alert.clean()

    assert field in excinfo.value.message_dict


def test_alert_response_time_is_arrival_minus_receipt() -> None:
    alert = AlertFactory.build(deployed_at=RECEIVED_AT + HOUR, arrived_at=RECEIVED_AT + 5 * HOUR)

    assert alert.response_time() == 5 * HOUR


def test_alert_response_time_is_none_until_the_response_arrives() -> None:
    alert = AlertFactory.build(acknowledged_at=RECEIVED_AT, deployed_at=RECEIVED_AT + HOUR)

    assert alert.response_time() is None
    assert alert.answered_within_standard() is None


@pytest.mark.parametrize(
    ("elapsed", "within"),
    [
        (datetime.timedelta(hours=23), True),
        (datetime.timedelta(hours=24), True),  # exactly on the standard still counts
        (datetime.timedelta(hours=24, seconds=1), False),
        (datetime.timedelta(days=3), False),
    ],
)
def test_alert_answered_within_the_missions_standard(
    elapsed: datetime.timedelta, within: bool
) -> None:
    mission = MissionFactory(alert_response_standard_hours=24)
    alert = AlertFactory.build(mission=mission, arrived_at=RECEIVED_AT + elapsed)

    assert alert.answered_within_standard() is within


def test_alert_standard_is_the_missions_own() -> None:
    strict = MissionFactory(alert_response_standard_hours=4)
    relaxed = MissionFactory(alert_response_standard_hours=48)
    arrived = RECEIVED_AT + 6 * HOUR

    strict_alert = AlertFactory.build(mission=strict, arrived_at=arrived)
    relaxed_alert = AlertFactory.build(mission=relaxed, arrived_at=arrived)

    assert strict_alert.answered_within_standard() is False
    assert relaxed_alert.answered_within_standard() is True
