import datetime

import pytest
import time_machine

from alerts.choices import AlertOutcome
from alerts.filters import AlertFilterSet
from alerts.models import Alert
from missions.models import Mission
from tests.factories.alerts import RECEIVED_AT, AlertFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_alert_with_response_duration_matches_the_model_method(mission_a: Mission) -> None:
    # given alerts answered after 90 minutes, after two days, and one still pending
    quick = AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + 1.5 * HOUR)
    slow = AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + 48 * HOUR)
    pending = AlertFactory(mission=mission_a)

    # when
    annotated = {
        alert.pk: alert.response_duration for alert in Alert.objects.with_response_duration()
    }

    # then the database computes the same durations as Alert.response_time()
    assert annotated == {
        quick.pk: datetime.timedelta(minutes=90),
        slow.pk: datetime.timedelta(days=2),
        pending.pk: None,
    }
    assert annotated[quick.pk] == Alert.objects.get(pk=quick.pk).response_time()


def test_alert_with_response_duration_can_be_filtered_in_sql(mission_a: Mission) -> None:
    quick = AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + 2 * HOUR)
    AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + 30 * HOUR)

    within_day = Alert.objects.with_response_duration().filter(
        response_duration__lte=datetime.timedelta(hours=24)
    )

    assert list(within_day) == [quick]


def test_alert_awaiting_response_lists_alerts_without_arrival(mission_a: Mission) -> None:
    pending = AlertFactory(mission=mission_a, deployed_at=RECEIVED_AT + HOUR)
    AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + HOUR)

    assert list(Alert.objects.awaiting_response()) == [pending]


def test_alert_received_between_is_half_open(mission_a: Mission) -> None:
    start = RECEIVED_AT
    inside = AlertFactory(mission=mission_a, received_at=start)
    AlertFactory(mission=mission_a, received_at=start + 24 * HOUR)

    day = Alert.objects.received_between(start, start + 24 * HOUR)

    assert list(day) == [inside]


def test_alert_past_standard_follows_each_missions_standard(
    mission_a: Mission, mission_b: Mission
) -> None:
    # given mission A answers within 12 hours and mission B within 48, and at 24 hours after
    # receipt: alerts pending in both, one answered late, one a false alarm
    mission_a.alert_response_standard_hours = 12
    mission_a.save(update_fields=["alert_response_standard_hours"])
    mission_b.alert_response_standard_hours = 48
    mission_b.save(update_fields=["alert_response_standard_hours"])
    late = AlertFactory(mission=mission_a)
    AlertFactory(mission=mission_b)  # still inside its standard
    AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + 20 * HOUR)  # answered, if late
    AlertFactory(mission=mission_a, outcome=AlertOutcome.FALSE_ALARM)  # needs no response
    now = RECEIVED_AT + 24 * HOUR

    # then only the pending alert past its own mission's standard is late, whether the
    # standards are read from the missions given or from the database
    assert list(Alert.objects.past_standard(now)) == [late]
    assert list(Alert.objects.past_standard(now, [mission_a, mission_b])) == [late]
    # and the alert filter (the API's and the list page's) gives the same
    late_ones = AlertFilterSet({"past_standard": "true"}, queryset=Alert.objects.all())
    others = AlertFilterSet({"past_standard": "false"}, queryset=Alert.objects.all())
    with time_machine.travel(now, tick=False):
        assert list(late_ones.qs) == [late]
        assert late not in others.qs and others.qs.count() == 3
