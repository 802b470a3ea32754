"""Recording the audit trail: snapshots, diffs, and what each entry says."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from audit.choices import AuditAction
from audit.context import audit_context
from audit.models import AuditEntry
from audit.services import (
    audit_changes,
    audit_create,
    audit_delete,
    audit_entry,
    audit_many,
    audit_snapshot,
    audit_update,
)
from incidents.models import Incident
from missions.models import Mission
from tests.factories.incidents import GraveViolationFactory, IncidentFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import CommunityAtRiskFactory, ThreatFactory
from threats.models import CommunityAtRisk

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(mission_a: Mission) -> Incident:
    return IncidentFactory(
        mission=mission_a,
        latitude=Decimal("-1.5"),
        grave_violations=[GraveViolationFactory(number=2), GraveViolationFactory(number=1)],
    )


def test_audit_snapshot_holds_fields_as_json_values(incident: Incident) -> None:
    snapshot = audit_snapshot(incident)

    assert snapshot["area"] == incident.area_id
    assert snapshot["mission"] == incident.mission_id
    assert snapshot["occurred_on"] == "2026-03-10"
    assert snapshot["latitude"] == "-1.500000"  # quantized to the column's six places
    assert snapshot["longitude"] is None
    assert snapshot["is_restricted"] is False
    assert snapshot["grave_violations"] == sorted(
        incident.grave_violations.values_list("pk", flat=True)
    )
    assert not {"id", "created_at", "updated_at"} & snapshot.keys()


def test_audit_snapshot_leaves_out_generated_columns(mission_a: Mission) -> None:
    snapshot = audit_snapshot(ThreatFactory(mission=mission_a))

    assert {"likelihood", "impact"} <= snapshot.keys()
    assert not {"risk_score", "is_host_state_perpetrator"} & snapshot.keys()


def test_audit_snapshot_of_an_unsaved_record_reads_no_many_to_many(
    mission_a: Mission, django_assert_num_queries
) -> None:
    incident = IncidentFactory.build(mission=mission_a, area=LocalityFactory(mission=mission_a))

    with django_assert_num_queries(0):
        snapshot = audit_snapshot(incident)

    assert "grave_violations" not in snapshot


def test_audit_snapshot_reads_each_many_to_many_in_one_query(
    incident: Incident, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):  # the incident's grave violations
        audit_snapshot(incident)


def test_audit_create_records_every_first_value(incident: Incident, joc_officer: User) -> None:
    with audit_context() as request_id:
        entry = audit_create(by=joc_officer, instance=incident, reason="logged from a patrol")

    entry.refresh_from_db()
    assert entry.action == AuditAction.CREATE
    assert (entry.actor, entry.actor_name) == (joc_officer, "joc-officer")
    assert entry.content_type == ContentType.objects.get_for_model(Incident)
    assert (entry.object_id, entry.object_repr) == (incident.pk, str(incident))
    assert entry.mission_id == incident.mission_id
    assert entry.request_id == request_id
    assert entry.reason == "logged from a patrol"
    assert entry.changes == {
        name: [None, value] for name, value in audit_snapshot(incident).items()
    }


def test_audit_update_records_the_fields_that_changed(
    incident: Incident, poc_adviser: User
) -> None:
    # given an incident snapshotted before its change
    before = audit_snapshot(incident)
    new_area = LocalityFactory(mission=incident.mission)
    violations = sorted(before["grave_violations"])

    # when its area, date, latitude and violations change
    incident.area = new_area
    incident.occurred_on = datetime.date(2026, 3, 11)
    incident.latitude = Decimal("-1.25")
    incident.save()
    incident.grave_violations.remove(violations[0])
    entry = audit_update(by=poc_adviser, instance=incident, before=before)

    # then the entry holds just those, before and after
    assert entry is not None
    assert AuditEntry.objects.get().changes == {
        "area": [before["area"], new_area.pk],
        "grave_violations": [violations, violations[1:]],
        "latitude": ["-1.500000", "-1.250000"],
        "occurred_on": ["2026-03-10", "2026-03-11"],
    }


def test_audit_update_writes_nothing_when_nothing_changed(
    incident: Incident, poc_adviser: User
) -> None:
    before = audit_snapshot(incident)
    # the same figure, unquantized in memory, is no change
    incident.latitude = Decimal("-1.5")
    incident.occurred_on = datetime.date(2026, 3, 10)

    assert audit_update(by=poc_adviser, instance=incident, before=before) is None
    assert not AuditEntry.objects.exists()


def test_audit_update_records_a_transition_even_without_changes(
    incident: Incident, poc_adviser: User
) -> None:
    before = audit_snapshot(incident)

    entry = audit_update(
        by=poc_adviser, instance=incident, before=before, action=AuditAction.VALIDATE
    )

    assert entry is not None
    assert (entry.action, entry.changes) == (AuditAction.VALIDATE, {})


def test_audit_update_diffs_against_a_given_after(incident: Incident, poc_adviser: User) -> None:
    # a claim by queryset update leaves the instance stale: the service says what it wrote
    entry = audit_update(
        by=poc_adviser,
        instance=incident,
        before={"verification_status": "reported"},
        after={"verification_status": "verified"},
        action=AuditAction.VALIDATE,
        reason="confirmed by the human rights section",
    )

    assert entry is not None
    assert entry.changes == {"verification_status": ["reported", "verified"]}
    assert entry.reason == "confirmed by the human rights section"


def test_audit_delete_records_every_last_value(incident: Incident, poc_adviser: User) -> None:
    before = audit_snapshot(incident)

    entry = audit_delete(by=poc_adviser, instance=incident, reason="duplicate")
    incident.delete()

    assert entry.action == AuditAction.DELETE
    assert entry.changes == {name: [value, None] for name, value in before.items()}
    assert entry.changes["grave_violations"][0]  # still linked when it was recorded


def test_audit_delete_refuses_a_record_already_deleted(
    incident: Incident, poc_adviser: User
) -> None:
    before = audit_snapshot(incident)
    incident.delete()  # Django clears the instance's id

    with pytest.raises(ValueError, match="before"):
        audit_delete(by=poc_adviser, instance=incident, before=before)


def test_audit_entry_reads_the_mission_along_the_mission_field(
    mission_a: Mission, django_assert_num_queries
) -> None:
    # given a community read with its threat, not the threat's mission
    made = CommunityAtRiskFactory(threat=ThreatFactory(mission=mission_a))
    community = CommunityAtRisk.objects.select_related("threat").get(pk=made.pk)
    ContentType.objects.get_for_model(community)  # fill the cache

    with django_assert_num_queries(0):  # threat__mission: the loaded threat's mission_id
        built = audit_entry(by=None, instance=community, action=AuditAction.CREATE, changes={})

    assert built.mission_id == mission_a.pk
    assert audit_entry(by=None, instance=mission_a, action="update", changes={}).mission_id == (
        mission_a.pk
    )


def test_audit_entry_of_reference_data_or_a_user_has_no_mission(poc_adviser: User) -> None:
    violation = GraveViolationFactory(number=1)

    assert audit_create(by=None, instance=violation).mission_id is None
    assert audit_create(by=None, instance=poc_adviser).mission_id is None


def test_audit_entry_by_the_system_has_no_actor(incident: Incident) -> None:
    entry = audit_create(by=None, instance=incident)

    assert (entry.actor_id, entry.actor_name) == (None, "")


def test_audit_entry_of_a_restricted_record_is_restricted(mission_a: Mission) -> None:
    restricted = IncidentFactory(mission=mission_a, sexual_violence=True)

    assert audit_create(by=None, instance=restricted).is_restricted is True
    assert audit_create(by=None, instance=mission_a).is_restricted is False


def test_audit_create_writes_one_insert_once_the_content_type_is_cached(
    mission_a: Mission, django_assert_num_queries
) -> None:
    # given the content type cache emptied
    ContentType.objects.clear_cache()
    areas = LocalityFactory.create_batch(2, mission=mission_a)

    # the first entry: the content type of areas, the INSERT
    with django_assert_num_queries(2):
        audit_create(by=None, instance=areas[0])
    # the next: the INSERT only
    with django_assert_num_queries(1):
        audit_create(by=None, instance=areas[1])


def test_audit_many_writes_a_batch_in_one_insert(
    mission_a: Mission, django_assert_num_queries
) -> None:
    areas = LocalityFactory.create_batch(5, mission=mission_a)
    snapshots = [audit_snapshot(area) for area in areas]  # areas have no many-to-many
    entries = [
        audit_entry(
            by=None, instance=area, action=AuditAction.CREATE, changes=audit_changes(None, snap)
        )
        for area, snap in zip(areas, snapshots, strict=True)
    ]

    with django_assert_num_queries(1):
        audit_many(entries)

    assert AuditEntry.objects.count() == 5


def test_audit_entries_of_one_request_share_its_id(mission_a: Mission) -> None:
    request_id = uuid.uuid4()

    with audit_context(request_id):
        audit_create(by=None, instance=mission_a)
        audit_create(by=None, instance=LocalityFactory(mission=mission_a))
    audit_create(by=None, instance=mission_a)

    ids = list(AuditEntry.objects.order_by("pk").values_list("request_id", flat=True))
    assert ids[:2] == [request_id, request_id]
    assert ids[2] != request_id
