"""The audit trail in the admin: readable, scoped, and unchangeable even by a superuser."""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from audit.admin import AuditHistoryAdminMixin
from audit.choices import AuditAction
from audit.context import audit_context
from audit.models import AuditEntry
from audit.services import audit_create, audit_snapshot, audit_update
from incidents.models import Incident
from missions.choices import MissionRole
from missions.models import Mission
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory, MembershipFactory

pytestmark = [
    pytest.mark.django_db,
    # whitenoise warns that collectstatic has not run; the tests serve no static files
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CHANGELIST = reverse("admin:audit_auditentry_changelist")


def change_url(entry: AuditEntry) -> str:
    return reverse("admin:audit_auditentry_change", args=[entry.pk])


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    # admin pages link static files; the manifest only exists after collectstatic
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def incident(mission_a: Mission) -> Incident:
    return IncidentFactory(mission=mission_a, latitude=Decimal("-1.5"))


@pytest.fixture
def entry(incident: Incident, administrator: User) -> AuditEntry:
    before = audit_snapshot(incident)
    incident.latitude = Decimal("-1.25")
    incident.save()
    entry = audit_update(by=administrator, instance=incident, before=before, reason="GPS fix")
    assert entry is not None
    return entry


def staff_with_view_permission(mission: Mission, role: str) -> User:
    user = MembershipFactory(mission=mission, role=role, user__is_staff=True).user
    user.user_permissions.add(
        Permission.objects.get(codename="view_auditentry"),
        Permission.objects.get(codename="view_incident"),
    )
    return user


def test_audit_admin_change_page_is_read_only_even_for_a_superuser(
    client: Client, administrator: User, entry: AuditEntry
) -> None:
    client.force_login(administrator)

    page = client.get(change_url(entry))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["adminform"].form.fields == {}  # every field shown, none editable
    assert b'name="_save"' not in page.content


def test_audit_admin_refuses_add_change_and_delete_to_a_superuser(
    client: Client, administrator: User, entry: AuditEntry
) -> None:
    client.force_login(administrator)
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])

    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(change_url(entry), {"reason": "tidied"}).status_code == 403
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )

    assert bulk.status_code == 200  # the list has no actions at all: it shows again
    assert bulk.context["action_form"] is None
    assert AuditEntry.objects.get().reason == "GPS fix"


def test_audit_admin_shows_changes_with_field_names(
    client: Client, administrator: User, entry: AuditEntry
) -> None:
    client.force_login(administrator)

    page = client.get(change_url(entry)).content.decode()

    assert "<th scope='row'>Latitude</th><td>-1.500000</td><td>-1.250000</td>" in page
    assert "GPS fix" in page


def test_audit_admin_list_filters_searches_and_links(
    client: Client, administrator: User, entry: AuditEntry, mission_b: Mission
) -> None:
    # given a second entry, in another mission, written in another request
    with audit_context():
        other = audit_create(by=None, instance=LocalityFactory(mission=mission_b))
    client.force_login(administrator)

    # when the list is filtered by mission, by record type and searched by request id
    by_mission = client.get(CHANGELIST, {"mission__id__exact": mission_b.pk})
    by_type = client.get(CHANGELIST, {"content_type__id__exact": entry.content_type_id})
    by_request = client.get(CHANGELIST, {"q": str(entry.request_id)})
    everything = client.get(CHANGELIST)

    # then each shows the entries it should, and records link to their admin pages
    assert list(by_mission.context["cl"].result_list) == [other]
    assert list(by_type.context["cl"].result_list) == [entry]
    assert list(by_request.context["cl"].result_list) == [entry]
    incident_url = reverse("admin:incidents_incident_change", args=[entry.object_id])
    assert f'href="{incident_url}"' in everything.content.decode()


def test_audit_admin_mission_filter_survives_a_deleted_mission(
    client: Client, administrator: User, mission_b: Mission
) -> None:
    # given an entry about a mission since deleted
    audit_create(by=None, instance=mission_b)
    Mission.objects.filter(pk=mission_b.pk).delete()
    client.force_login(administrator)

    page = client.get(CHANGELIST)
    entry = AuditEntry.objects.get()

    # then the list, its filters and the entry still open
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [entry]
    assert client.get(change_url(entry)).status_code == 200


def test_audit_admin_list_applies_need_to_know(
    client: Client, mission_a: Mission, mission_b: Mission, entry: AuditEntry
) -> None:
    # given a restricted incident's entry, and one of another mission
    restricted = audit_create(
        by=None, instance=IncidentFactory(mission=mission_a, sexual_violence=True)
    )
    audit_create(by=None, instance=mission_b)
    joc_officer = staff_with_view_permission(mission_a, MissionRole.JOC_OFFICER)
    client.force_login(joc_officer)

    # when a JOC officer of the first mission reads the trail
    page = client.get(CHANGELIST)

    # then they see their mission's unrestricted entry only, and cannot open the others
    assert list(page.context["cl"].result_list) == [entry]
    assert client.get(change_url(restricted)).status_code == 302  # "does not exist"


class IncidentHistoryAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    pass


def history_page(rf: RequestFactory, user: User, incident: Incident) -> str:
    request = rf.get("/")
    request.user = user
    model_admin = IncidentHistoryAdmin(Incident, admin.AdminSite(name="admin"))
    response = model_admin.history_view(request, str(incident.pk))
    return response.render().content.decode()


def test_audit_history_page_shows_the_record_entries(
    rf: RequestFactory, administrator: User, entry: AuditEntry, incident: Incident
) -> None:
    page = history_page(rf, administrator, incident)

    assert "Change history:" in page
    assert "<th scope='row'>Latitude</th><td>-1.500000</td><td>-1.250000</td>" in page
    assert "GPS fix" in page
    assert "1 entry" in page


def test_audit_history_page_follows_the_record_need_to_know(
    rf: RequestFactory, mission_a: Mission, poc_adviser: User
) -> None:
    # given a restricted incident with a validation on record
    incident = IncidentFactory(mission=mission_a, sexual_violence=True)
    audit_update(
        by=poc_adviser,
        instance=incident,
        before={"verification_status": "reported"},
        after={"verification_status": "verified"},
        action=AuditAction.VALIDATE,
    )
    adviser = staff_with_view_permission(mission_a, MissionRole.POC_ADVISER)
    joc_officer = staff_with_view_permission(mission_a, MissionRole.JOC_OFFICER)

    # then an adviser reads it, and a JOC officer who may open the page sees no entry
    assert "Validated" in history_page(rf, adviser, incident)
    joc_page = history_page(rf, joc_officer, incident)
    assert "Validated" not in joc_page
    assert "No change to this record is on the audit trail." in joc_page
