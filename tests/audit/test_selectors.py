"""Who reads which audit entries: mission scoping, and need-to-know for restricted records."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from audit.models import AuditEntry
from audit.selectors import audit_entries_visible_to
from audit.services import audit_create
from incidents.models import Incident
from missions.choices import MissionRole
from missions.models import Mission
from tests.factories.incidents import GraveViolationFactory, IncidentFactory
from tests.factories.missions import LocalityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(mission_a: Mission, joc_officer: User) -> Incident:
    """A sexual-violence incident the JOC officer logged, and its entry."""
    incident = IncidentFactory(mission=mission_a, sexual_violence=True, reported_by=joc_officer)
    audit_create(by=joc_officer, instance=incident)
    return incident


@pytest.fixture
def entries(mission_a: Mission, mission_b: Mission) -> dict[str, AuditEntry]:
    return {
        "a": audit_create(by=None, instance=LocalityFactory(mission=mission_a)),
        "b": audit_create(by=None, instance=LocalityFactory(mission=mission_b)),
        "global": audit_create(by=None, instance=GraveViolationFactory(number=1)),
    }


def visible(user: User, **kwargs: object) -> set[int]:
    return set(audit_entries_visible_to(user, **kwargs).values_list("pk", flat=True))


def test_audit_entries_hide_other_missions_entries(
    entries: dict[str, AuditEntry], poc_adviser: User, outsider: User
) -> None:
    assert visible(poc_adviser) == {entries["a"].pk}
    assert visible(outsider) == {entries["b"].pk}


def test_audit_entries_outside_any_mission_are_for_administrators(
    entries: dict[str, AuditEntry], secretariat: User, administrator: User
) -> None:
    every = {entry.pk for entry in entries.values()}

    assert visible(secretariat) == every - {entries["global"].pk}
    assert visible(administrator) == every


def test_audit_entries_of_a_restricted_incident_follow_its_need_to_know(
    restricted: Incident, mission_a: Mission, poc_adviser: User, leadership: User
) -> None:
    # given another JOC officer of the same mission, who did not log the incident
    other_joc = MembershipFactory(mission=mission_a, role=MissionRole.JOC_OFFICER).user
    entry = AuditEntry.objects.get(object_id=restricted.pk)

    # then it is hidden from them, and shown to the POC adviser, leadership and its reporter
    assert entry.pk not in visible(other_joc)
    assert entry.pk in visible(poc_adviser)
    assert entry.pk in visible(leadership)
    assert entry.pk in visible(restricted.reported_by)


def test_audit_entries_of_a_deleted_restricted_incident_stay_with_the_cleared(
    restricted: Incident, poc_adviser: User, joc_officer: User
) -> None:
    # given the restricted incident deleted, its entries remaining
    entry = AuditEntry.objects.get(object_id=restricted.pk)
    restricted.delete()

    # then those cleared for the mission's restricted records still read them; its reporter,
    # whose access came from the incident itself, no longer does
    assert entry.pk in visible(poc_adviser)
    assert entry.pk not in visible(joc_officer)


def test_audit_entries_of_restricted_records_are_hidden_from_the_secretariat(
    restricted: Incident, secretariat: User, administrator: User
) -> None:
    entry = AuditEntry.objects.get(object_id=restricted.pk)

    assert entry.pk not in visible(secretariat)
    assert entry.pk in visible(administrator)


def test_audit_entries_of_one_mission(
    entries: dict[str, AuditEntry], administrator: User, mission_b: Mission
) -> None:
    assert visible(administrator, mission=mission_b) == {entries["b"].pk}
    assert visible(administrator, mission=mission_b.pk) == {entries["b"].pk}


def test_audit_entries_come_newest_first_with_their_actor(
    mission_a: Mission, poc_adviser: User, django_assert_num_queries
) -> None:
    # given entries written on three days, oldest first
    for day in (1, 2, 3):
        with time_machine.travel(datetime.datetime(2026, 3, day, tzinfo=datetime.UTC)):
            audit_create(by=poc_adviser, instance=LocalityFactory(mission=mission_a))

    ContentType.objects.get_for_model(Incident)  # cached, as in any running process

    # when they are read with their authors: one statement, the entries joined to their actors
    # and content types, with the policy's membership and need-to-know subqueries inside it
    with django_assert_num_queries(1):
        read = [
            (entry.at.day, entry.actor.username, entry.content_type.model)
            for entry in audit_entries_visible_to(poc_adviser)
        ]

    # then the newest comes first
    assert read == [(day, "poc-adviser", "area") for day in (3, 2, 1)]
