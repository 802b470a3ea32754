"""Audit entries are append-only: the model, its queryset and the database all refuse changes."""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from audit.models import AppendOnlyError, AuditEntry
from audit.services import audit_create
from missions.models import Mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(mission_a: Mission, poc_adviser: User) -> AuditEntry:
    return audit_create(by=poc_adviser, instance=mission_a)


def test_audit_entry_save_refuses_to_change_an_entry(entry: AuditEntry) -> None:
    entry.reason = "tidying up"

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert AuditEntry.objects.get().reason == ""


def test_audit_entry_delete_refuses(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.count() == 1


def test_audit_entry_queryset_update_and_delete_refuse(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="tidying up")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    # bulk_update runs in a transaction its failure spoils: a savepoint keeps the test's usable
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["reason"])

    assert AuditEntry.objects.get().reason == ""


def test_audit_entry_database_refuses_a_raw_update(entry: AuditEntry) -> None:
    # both backends' triggers raise an integrity error (restrict_violation, RAISE(ABORT))
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET reason = 'tidying up'")

    assert AuditEntry.objects.get().reason == ""


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no DELETE trigger: Django's test flush empties tables with DELETE FROM",
)
def test_audit_entry_database_refuses_a_raw_delete(entry: AuditEntry) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")

    assert AuditEntry.objects.count() == 1


def test_audit_entry_outlives_its_mission_and_its_user(entry: AuditEntry) -> None:
    # given an entry about a mission, written by a user
    mission_id, actor_id = entry.mission_id, entry.actor_id

    # when the mission and the user are deleted
    Mission.objects.filter(pk=mission_id).delete()
    User.objects.filter(pk=actor_id).delete()

    # then the entry stays, with the ids, username and label of the time
    kept = AuditEntry.objects.select_related("actor", "mission").get()
    assert (kept.mission_id, kept.actor_id) == (mission_id, actor_id)
    assert (kept.mission, kept.actor) == (None, None)
    assert (kept.actor_name, kept.object_repr) == ("poc-adviser", entry.object_repr)
