"""Incident scoping: mission scoping plus need-to-know access to restricted incidents."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from incidents.choices import VerificationStatus
from incidents.models import Incident
from missions.choices import MissionRole
from missions.models import Mission
from missions.permissions import Action
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import MembershipFactory
from threats.choices import PerpetratorCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_incident(mission_a: Mission) -> Incident:
    return IncidentFactory(mission=mission_a)


@pytest.fixture
def restricted_incident(mission_a: Mission, joc_officer: User) -> Incident:
    """A sexual violence incident in mission A, logged by the JOC officer."""
    return IncidentFactory(mission=mission_a, sexual_violence=True, reported_by=joc_officer)


@pytest.mark.parametrize("viewer", ["poc_adviser", "leadership", "administrator"])
def test_restricted_incident_is_visible_to_cleared_roles(
    viewer: str,
    request: pytest.FixtureRequest,
    open_incident: Incident,
    restricted_incident: Incident,
) -> None:
    user = request.getfixturevalue(viewer)

    assert set(Incident.objects.visible_to(user)) == {open_incident, restricted_incident}


@pytest.mark.parametrize("viewer", ["jmac_analyst", "section_staff", "secretariat"])
def test_restricted_incident_is_hidden_from_other_roles(
    viewer: str,
    request: pytest.FixtureRequest,
    open_incident: Incident,
    restricted_incident: Incident,
) -> None:
    user = request.getfixturevalue(viewer)

    assert set(Incident.objects.visible_to(user)) == {open_incident}


def test_restricted_incident_is_hidden_from_another_joc_officer(
    mission_a: Mission, open_incident: Incident, restricted_incident: Incident
) -> None:
    other_officer = MembershipFactory(mission=mission_a, role=MissionRole.JOC_OFFICER).user

    assert set(Incident.objects.visible_to(other_officer)) == {open_incident}


def test_restricted_incident_is_visible_to_the_officer_who_logged_it(
    joc_officer: User, open_incident: Incident, restricted_incident: Incident
) -> None:
    assert set(Incident.objects.visible_to(joc_officer)) == {open_incident, restricted_incident}
    assert set(Incident.objects.for_user(joc_officer, Action.LOG)) == {
        open_incident,
        restricted_incident,
    }


def test_restricted_incident_of_another_mission_stays_hidden_from_its_reporter(
    mission_b: Mission, joc_officer: User
) -> None:
    # given a restricted incident of mission B logged by mission A's officer (e.g. before a move)
    IncidentFactory(mission=mission_b, sexual_violence=True, reported_by=joc_officer)

    # then mission scoping still hides it
    assert not Incident.objects.visible_to(joc_officer).exists()


def test_restricted_incident_of_another_mission_is_hidden_from_a_poc_adviser(
    mission_b: Mission, poc_adviser: User
) -> None:
    IncidentFactory(mission=mission_b, sexual_violence=True)

    assert not Incident.objects.visible_to(poc_adviser).exists()


def test_restricted_incident_follows_the_role_in_each_mission(
    mission_a: Mission, mission_b: Mission
) -> None:
    # given a POC adviser of mission A who is a JOC officer in mission B
    user = MembershipFactory(mission=mission_a, role=MissionRole.POC_ADVISER).user
    MembershipFactory(user=user, mission=mission_b, role=MissionRole.JOC_OFFICER)
    restricted_a = IncidentFactory(mission=mission_a, sexual_violence=True)
    restricted_b = IncidentFactory(mission=mission_b, sexual_violence=True)
    open_b = IncidentFactory(mission=mission_b)

    # when
    visible = set(Incident.objects.visible_to(user))

    # then mission A's restricted incident is cleared, mission B's is not
    assert visible == {restricted_a, open_b}
    assert restricted_b not in visible


def test_restricted_incidents_are_hidden_from_anonymous_users(
    open_incident: Incident, restricted_incident: Incident
) -> None:
    assert not Incident.objects.visible_to(AnonymousUser()).exists()


def test_incident_counted_leaves_out_discredited_reports(mission_a: Mission) -> None:
    verified = IncidentFactory(mission=mission_a, verification_status=VerificationStatus.VERIFIED)
    IncidentFactory(mission=mission_a, verification_status=VerificationStatus.DISCREDITED)

    assert list(Incident.objects.counted()) == [verified]


def test_incident_between_includes_both_ends(mission_a: Mission) -> None:
    first = IncidentFactory(mission=mission_a, occurred_on=datetime.date(2026, 3, 1))
    last = IncidentFactory(mission=mission_a, occurred_on=datetime.date(2026, 3, 31))
    IncidentFactory(mission=mission_a, occurred_on=datetime.date(2026, 4, 1))

    march = Incident.objects.between(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))

    assert set(march) == {first, last}


def test_incident_host_state_filters_on_the_generated_flag(mission_a: Mission) -> None:
    host_state = IncidentFactory(
        mission=mission_a, perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES
    )
    IncidentFactory(mission=mission_a)

    assert list(Incident.objects.host_state()) == [host_state]
