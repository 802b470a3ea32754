import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from activities.choices import ActivityType
from activities.models import ProtectionActivity
from activities.services import activity_create, activity_delete, activity_update
from core.choices import Component
from indicators.choices import Derivation
from missions.models import Area, Mission
from tests.factories.commitments import PhaseFactory, TierFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import ThreatFactory
from tests.figures import monthly_figure

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)
REACHED = Derivation.PEOPLE_REACHED


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


def _log(by: User, mission: Mission, area: Area, **fields: object) -> ProtectionActivity:
    values = {
        "activity_type": ActivityType.COMMUNITY_ENGAGEMENT,
        "title": "Meeting with the local protection committee",
        "tier": TierFactory(number=1),
        "phase": PhaseFactory(number=1),
        "component": Component.CIVIL_AFFAIRS,
        "started_on": datetime.date(2026, 3, 12),
        "women": 30,
        "men": 20,
        **fields,
    }
    return activity_create(by=by, mission=mission, area=area, **values)


def test_activity_create_counts_the_people_reached(
    section_staff: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        activity = _log(section_staff, mission_a, locality)

    assert activity.logged_by == section_staff
    assert monthly_figure(REACHED, mission_a, MARCH) == 50
    assert monthly_figure(REACHED, mission_a, MARCH, disaggregation="women") == 30
    assert monthly_figure(Derivation.ACTIVITIES, mission_a, MARCH, area=locality) == 1


@pytest.mark.parametrize("user", ["outsider", "leadership", "secretariat"])
def test_activity_create_refuses_users_who_may_not_log_in_the_mission(
    user: str, request: pytest.FixtureRequest, mission_a: Mission, locality: Area
) -> None:
    with pytest.raises(PermissionDenied):
        _log(request.getfixturevalue(user), mission_a, locality)

    assert not ProtectionActivity.objects.exists()


def test_activity_create_rejects_an_area_of_another_mission(
    section_staff: User, mission_a: Mission, mission_b: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        _log(section_staff, mission_a, LocalityFactory(mission=mission_b))

    assert not ProtectionActivity.objects.exists()
    assert callbacks == []


def test_activity_create_rejects_a_threat_of_another_mission(
    section_staff: User, mission_a: Mission, mission_b: Mission, locality: Area
) -> None:
    with pytest.raises(ValidationError) as error:
        _log(section_staff, mission_a, locality, threat=ThreatFactory(mission=mission_b))

    assert "threat" in error.value.message_dict


def test_activity_update_moves_the_figures_to_the_new_month(
    section_staff: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        activity = _log(section_staff, mission_a, locality)

    with django_capture_on_commit_callbacks(execute=True):
        activity_update(
            activity=activity,
            by=section_staff,
            data={"started_on": datetime.date(2026, 4, 3), "girls": 10},
        )

    assert monthly_figure(REACHED, mission_a, MARCH) is None
    assert monthly_figure(REACHED, mission_a, APRIL) == 60


def test_activity_update_rejects_an_end_before_the_start(
    section_staff: User, mission_a: Mission, locality: Area
) -> None:
    activity = _log(section_staff, mission_a, locality)

    with pytest.raises(ValidationError):
        activity_update(
            activity=activity, by=section_staff, data={"ended_on": datetime.date(2026, 3, 1)}
        )

    assert ProtectionActivity.objects.get(pk=activity.pk).ended_on is None


def test_activity_update_refuses_an_outsider(
    section_staff: User, outsider: User, mission_a: Mission, locality: Area
) -> None:
    activity = _log(section_staff, mission_a, locality)

    with pytest.raises(PermissionDenied):
        activity_update(activity=activity, by=outsider, data={"women": 0})


def test_activity_delete_takes_it_out_of_the_figures(
    section_staff: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        activity = _log(section_staff, mission_a, locality)

    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=activity, by=section_staff)

    assert not ProtectionActivity.objects.exists()
    assert monthly_figure(REACHED, mission_a, MARCH) is None


def test_activity_delete_refuses_an_outsider(
    section_staff: User, outsider: User, mission_a: Mission, locality: Area
) -> None:
    activity = _log(section_staff, mission_a, locality)

    with pytest.raises(PermissionDenied):
        activity_delete(activity=activity, by=outsider)

    assert ProtectionActivity.objects.filter(pk=activity.pk).exists()
