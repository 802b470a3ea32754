import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from incidents.choices import VerificationStatus
from indicators.choices import Derivation
from indicators.rollups import rollup_rebuild
from missions.choices import AreaKind
from missions.models import Area, Mission
from missions.services import area_create, area_move, mission_update_settings
from tests.factories.alerts import RECEIVED_AT, AlertFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import AorFactory, LocalityFactory, SectorFactory
from tests.factories.threats import ThreatFactory
from tests.figures import monthly_figure

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _mid_june(time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False)


def test_mission_update_settings_recounts_threats_under_the_new_bands(
    administrator: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    # given a threat scoring 9, medium under the default bands
    ThreatFactory(mission=mission_a, likelihood=3, impact=3)
    rollup_rebuild(mission=mission_a)
    assert monthly_figure(Derivation.HIGH_RISK_THREATS, mission_a, MARCH) is None

    # when high risk starts at 9
    with django_capture_on_commit_callbacks(execute=True):
        mission_update_settings(mission=mission_a, by=administrator, data={"risk_high_from": 9})

    # then it counts as high risk
    assert monthly_figure(Derivation.HIGH_RISK_THREATS, mission_a, MARCH) == 1


def test_mission_update_settings_recounts_alerts_under_the_new_standard(
    administrator: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    # given an alert answered in four hours, within the 24-hour standard
    AlertFactory(mission=mission_a, arrived_at=RECEIVED_AT + datetime.timedelta(hours=4))
    rollup_rebuild(mission=mission_a)
    assert monthly_figure(Derivation.ALERTS_WITHIN_STANDARD, mission_a, MARCH) == 100

    # when the standard becomes three hours
    with django_capture_on_commit_callbacks(execute=True):
        mission_update_settings(
            mission=mission_a, by=administrator, data={"alert_response_standard_hours": 3}
        )

    # then it was answered late
    assert monthly_figure(Derivation.ALERTS_WITHIN_STANDARD, mission_a, MARCH) == 0


def test_mission_update_settings_rejects_unordered_bands(
    administrator: User, mission_a: Mission
) -> None:
    with pytest.raises(ValidationError):
        mission_update_settings(
            mission=mission_a, by=administrator, data={"risk_very_high_from": 30}
        )

    mission_a.refresh_from_db()
    assert mission_a.risk_very_high_from == 17


def test_mission_update_settings_ignores_other_fields(
    administrator: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        mission_update_settings(mission=mission_a, by=administrator, data={"acronym": "OTHER"})

    mission_a.refresh_from_db()
    assert mission_a.acronym == "MISSA"
    assert callbacks == []


@pytest.mark.parametrize("user", ["poc_adviser", "leadership", "outsider", "secretariat"])
def test_mission_update_settings_refuses_those_who_do_not_manage_the_mission(
    user: str, request: pytest.FixtureRequest, mission_a: Mission
) -> None:
    with pytest.raises(PermissionDenied):
        mission_update_settings(
            mission=mission_a, by=request.getfixturevalue(user), data={"risk_high_from": 9}
        )


def test_area_create_adds_a_locality_under_its_aor(
    administrator: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    aor = AorFactory(mission=mission_a)

    with django_capture_on_commit_callbacks() as callbacks:
        locality = area_create(
            by=administrator,
            mission=mission_a,
            kind=AreaKind.LOCALITY,
            name="Kalamba",
            parent=aor,
        )

    assert (locality.aor, locality.sector) == (aor, aor.parent)
    # a new area holds no records, so no figure moves
    assert callbacks == []


def test_area_create_rejects_a_parent_of_another_mission(
    administrator: User, mission_a: Mission, mission_b: Mission
) -> None:
    with pytest.raises(ValidationError):
        area_create(
            by=administrator,
            mission=mission_a,
            kind=AreaKind.AOR,
            name="North",
            parent=SectorFactory(mission=mission_b),
        )

    assert not Area.objects.filter(name="North").exists()


def test_area_create_refuses_a_poc_adviser(poc_adviser: User, mission_a: Mission) -> None:
    with pytest.raises(PermissionDenied):
        area_create(by=poc_adviser, mission=mission_a, kind=AreaKind.SECTOR, name="East")


def test_area_move_takes_the_figures_to_the_new_sector(
    administrator: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    # given an incident in a locality of one sector, and another sector
    locality = LocalityFactory(mission=mission_a)
    old_sector, new_sector = locality.sector, SectorFactory(mission=mission_a)
    IncidentFactory(
        mission=mission_a,
        area=locality,
        killed_men=4,
        verification_status=VerificationStatus.VERIFIED,
    )
    rollup_rebuild(mission=mission_a)
    assert monthly_figure(Derivation.CIVILIANS_KILLED, mission_a, MARCH, area=old_sector) == 4

    # when its area of responsibility moves to the other sector
    with django_capture_on_commit_callbacks(execute=True):
        area_move(area=locality.aor, parent=new_sector, by=administrator)

    # then the locality follows, and so do the figures
    locality.refresh_from_db()
    assert locality.sector == new_sector
    assert monthly_figure(Derivation.CIVILIANS_KILLED, mission_a, MARCH, area=old_sector) is None
    assert monthly_figure(Derivation.CIVILIANS_KILLED, mission_a, MARCH, area=new_sector) == 4


def test_area_move_to_the_same_parent_changes_nothing(
    administrator: User, mission_a: Mission, django_capture_on_commit_callbacks
) -> None:
    locality = LocalityFactory(mission=mission_a)

    with django_capture_on_commit_callbacks() as callbacks:
        area_move(area=locality, parent=locality.parent, by=administrator)

    assert callbacks == []


def test_area_move_rejects_a_parent_of_another_mission(
    administrator: User, mission_a: Mission, mission_b: Mission
) -> None:
    locality = LocalityFactory(mission=mission_a)
    parent = locality.parent

    with pytest.raises(ValidationError):
        area_move(area=locality, parent=AorFactory(mission=mission_b), by=administrator)

    locality.refresh_from_db()
    assert locality.parent == parent


def test_area_move_refuses_a_poc_adviser(poc_adviser: User, mission_a: Mission) -> None:
    locality = LocalityFactory(mission=mission_a)

    with pytest.raises(PermissionDenied):
        area_move(area=locality, parent=AorFactory(mission=mission_a), by=poc_adviser)
