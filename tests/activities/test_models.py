import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import ProtectionActivity
from tests.factories.activities import ProtectionActivityFactory
from tests.integrity import rejected_by

pytestmark = pytest.mark.django_db

STARTED = datetime.date(2026, 3, 1)  # ProtectionActivityFactory's started_on


def test_activity_cannot_end_before_it_starts() -> None:
    activity = ProtectionActivityFactory()

    with rejected_by("activities_protectionactivity_end_after_start"):
        ProtectionActivity.objects.filter(pk=activity.pk).update(
            ended_on=STARTED - datetime.timedelta(days=1)
        )


def test_activity_can_end_the_day_it_starts() -> None:
    activity = ProtectionActivityFactory(ended_on=STARTED)

    activity.full_clean()

    assert activity.ended_on == activity.started_on


def test_activity_type_must_be_known() -> None:
    activity = ProtectionActivityFactory()

    with rejected_by("activities_protectionactivity_type_valid"):
        ProtectionActivity.objects.filter(pk=activity.pk).update(activity_type="picnic")


@pytest.mark.parametrize("field", ["women", "men", "girls", "boys"])
def test_activity_people_reached_cannot_be_negative(field: str) -> None:
    activity = ProtectionActivityFactory()

    with rejected_by(field):
        ProtectionActivity.objects.filter(pk=activity.pk).update(**{field: -1})


def test_activity_clean_rejects_end_before_start() -> None:
    activity = ProtectionActivityFactory.build(ended_on=STARTED - datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        activity.clean()

    assert "ended_on" in excinfo.value.message_dict


def test_activity_total_people_reached_adds_the_four_groups() -> None:
    activity = ProtectionActivityFactory.build(women=40, men=35, girls=20, boys=18)

    assert activity.total_people == 113
