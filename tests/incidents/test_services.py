import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from incidents.choices import SourceType, VerificationStatus
from incidents.models import Incident
from incidents.services import incident_create, incident_delete, incident_update
from indicators.choices import Derivation
from missions.models import Area, Mission
from tests.factories.incidents import GraveViolationFactory
from tests.factories.missions import LocalityFactory
from tests.figures import monthly_figure
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)
KILLED = Derivation.CIVILIANS_KILLED


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


def _log(by: User, mission: Mission, area: Area, **fields: object) -> Incident:
    values = {
        "occurred_on": datetime.date(2026, 3, 10),
        "incident_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.NON_STATE_ARMED_GROUP,
        "source_type": SourceType.UN_PATROL,
        "verification_status": VerificationStatus.VERIFIED,
        "killed_women": 3,
        **fields,
    }
    return incident_create(by=by, mission=mission, area=area, **values)


def test_incident_create_counts_in_the_months_figures(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident = _log(joc_officer, mission_a, locality, killed_men=2)

    assert incident.reported_by == joc_officer
    assert monthly_figure(KILLED, mission_a, MARCH, disaggregation="women") == 3
    assert monthly_figure(KILLED, mission_a, MARCH) == 5
    assert monthly_figure(KILLED, mission_a, MARCH, area=locality.sector) == 5
    assert monthly_figure(Derivation.INCIDENTS, mission_a, MARCH) == 1


def test_incident_create_enqueues_only_on_commit(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _log(joc_officer, mission_a, locality)

        # nothing is computed before the transaction commits
        assert monthly_figure(KILLED, mission_a, MARCH) is None

    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "user", ["joc_officer", "poc_adviser", "jmac_analyst", "section_staff", "administrator"]
)
def test_incident_create_allows_every_role_that_logs(
    user: str, request: pytest.FixtureRequest, mission_a: Mission, locality: Area
) -> None:
    _log(request.getfixturevalue(user), mission_a, locality)

    assert Incident.objects.count() == 1


@pytest.mark.parametrize("user", ["outsider", "leadership", "secretariat"])
def test_incident_create_refuses_users_who_may_not_log_in_the_mission(
    user: str, request: pytest.FixtureRequest, mission_a: Mission, locality: Area
) -> None:
    with pytest.raises(PermissionDenied):
        _log(request.getfixturevalue(user), mission_a, locality)

    assert not Incident.objects.exists()


def test_incident_create_rejects_an_area_of_another_mission(
    joc_officer: User, mission_a: Mission, mission_b: Mission, django_capture_on_commit_callbacks
) -> None:
    elsewhere = LocalityFactory(mission=mission_b)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as error:
        _log(joc_officer, mission_a, elsewhere)

    assert "area" in error.value.message_dict
    assert not Incident.objects.exists()
    assert callbacks == []


def test_incident_create_restricts_sexual_violence(
    joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    incident = _log(
        joc_officer,
        mission_a,
        locality,
        incident_type=ViolenceType.SEXUAL_VIOLENCE,
        is_restricted=False,
        sv_women=1,
    )

    assert incident.is_restricted


def test_incident_create_restricts_grave_violations_against_children(
    joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    violation = GraveViolationFactory(number=5)

    incident = _log(joc_officer, mission_a, locality, grave_violations=[violation])

    assert incident.is_restricted
    assert list(incident.grave_violations.all()) == [violation]


def test_incident_update_moves_the_figures_to_the_new_month(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    # given an incident counted in March
    with django_capture_on_commit_callbacks(execute=True):
        incident = _log(joc_officer, mission_a, locality)

    # when it is found to have happened in April
    with django_capture_on_commit_callbacks(execute=True):
        incident_update(
            incident=incident, by=joc_officer, data={"occurred_on": datetime.date(2026, 4, 2)}
        )

    # then March no longer counts it and April does
    assert monthly_figure(KILLED, mission_a, MARCH) is None
    assert monthly_figure(KILLED, mission_a, APRIL, disaggregation="women") == 3


def test_incident_update_moves_the_figures_to_the_new_area(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    # given an incident counted in one sector, and a locality of another sector
    other = LocalityFactory(mission=mission_a)
    with django_capture_on_commit_callbacks(execute=True):
        incident = _log(joc_officer, mission_a, locality)

    # when it is moved there
    with django_capture_on_commit_callbacks(execute=True):
        incident_update(incident=incident, by=joc_officer, data={"area": other})

    # then the old sector's figure is gone, the new sector's has it, the mission's is unchanged
    assert monthly_figure(KILLED, mission_a, MARCH, area=locality.sector) is None
    assert monthly_figure(KILLED, mission_a, MARCH, area=other.sector) == 3
    assert monthly_figure(KILLED, mission_a, MARCH) == 3


def test_incident_update_changes_the_counts(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident = _log(joc_officer, mission_a, locality)

    with django_capture_on_commit_callbacks(execute=True):
        incident_update(incident=incident, by=joc_officer, data={"killed_women": 1})

    assert monthly_figure(KILLED, mission_a, MARCH, disaggregation="women") == 1


def test_incident_update_without_change_enqueues_nothing(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    incident = _log(joc_officer, mission_a, locality)

    with django_capture_on_commit_callbacks() as callbacks:
        incident_update(incident=incident, by=joc_officer, data={"killed_women": 3})

    assert callbacks == []


def test_incident_update_ignores_fields_it_does_not_open(
    joc_officer: User, mission_a: Mission, mission_b: Mission, locality: Area
) -> None:
    incident = _log(joc_officer, mission_a, locality)

    incident_update(incident=incident, by=joc_officer, data={"mission": mission_b})

    incident.refresh_from_db()
    assert incident.mission == mission_a


def test_incident_update_keeps_sexual_violence_restricted(
    poc_adviser: User, mission_a: Mission, locality: Area
) -> None:
    incident = _log(
        poc_adviser, mission_a, locality, incident_type=ViolenceType.SEXUAL_VIOLENCE, sv_girls=1
    )

    incident_update(incident=incident, by=poc_adviser, data={"is_restricted": False})

    incident.refresh_from_db()
    assert incident.is_restricted


def test_incident_update_restricts_when_grave_violations_are_added(
    joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    incident = _log(joc_officer, mission_a, locality)

    incident_update(
        incident=incident,
        by=joc_officer,
        data={"grave_violations": [GraveViolationFactory(number=1)]},
    )

    incident.refresh_from_db()
    assert incident.is_restricted
    assert incident.grave_violations.count() == 1


def test_incident_update_refuses_a_restricted_incident_to_those_without_need_to_know(
    joc_officer: User, poc_adviser: User, mission_a: Mission, locality: Area
) -> None:
    # a JOC officer may log incidents but not read restricted ones someone else logged
    incident = _log(
        poc_adviser, mission_a, locality, incident_type=ViolenceType.SEXUAL_VIOLENCE, sv_women=1
    )

    with pytest.raises(PermissionDenied):
        incident_update(incident=incident, by=joc_officer, data={"sv_women": 2})


def test_incident_update_refuses_an_outsider(
    joc_officer: User, outsider: User, mission_a: Mission, locality: Area
) -> None:
    incident = _log(joc_officer, mission_a, locality)

    with pytest.raises(PermissionDenied):
        incident_update(incident=incident, by=outsider, data={"killed_women": 9})

    incident.refresh_from_db()
    assert incident.killed_women == 3


def test_incident_update_rejects_an_area_of_another_mission(
    joc_officer: User, mission_a: Mission, mission_b: Mission, locality: Area
) -> None:
    incident = _log(joc_officer, mission_a, locality)

    with pytest.raises(ValidationError):
        incident_update(
            incident=incident, by=joc_officer, data={"area": LocalityFactory(mission=mission_b)}
        )

    incident.refresh_from_db()
    assert incident.area == locality


def test_incident_delete_takes_it_out_of_the_figures(
    joc_officer: User, mission_a: Mission, locality: Area, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident = _log(joc_officer, mission_a, locality)

    with django_capture_on_commit_callbacks(execute=True):
        incident_delete(incident=incident, by=joc_officer)

    assert not Incident.objects.exists()
    assert monthly_figure(KILLED, mission_a, MARCH) is None
    assert monthly_figure(Derivation.INCIDENTS, mission_a, MARCH) is None


def test_incident_delete_refuses_an_outsider(
    joc_officer: User, outsider: User, mission_a: Mission, locality: Area
) -> None:
    incident = _log(joc_officer, mission_a, locality)

    with pytest.raises(PermissionDenied):
        incident_delete(incident=incident, by=outsider)

    assert Incident.objects.filter(pk=incident.pk).exists()
