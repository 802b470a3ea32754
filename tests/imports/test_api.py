"""POST /api/v1/imports/: an upload runs as a job, reports its outcome, and confirms a dry run."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditEntry
from imports.models import IncidentImport
from incidents.models import Incident
from missions.models import Area, Mission
from tests.imports.files import GED_COLUMNS, ged_rows, write_csv

pytestmark = pytest.mark.django_db

LIST = reverse("api:incidentimport-list")


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _upload(client: APIClient, path: Path, mission: Mission, **fields: object):
    with path.open("rb") as handle:
        return client.post(
            LIST,
            {"file": handle, "mission": mission.pk, "preset": "ucdp-ged", **fields},
            format="multipart",
        )


def _detail(client: APIClient, pk: int) -> dict:
    return client.get(reverse("api:incidentimport-detail", kwargs={"pk": pk})).json()


def test_upload_imports_the_file_and_reports_what_it_did(
    tmp_path: Path,
    joc_officer: User,
    mission: Mission,
    areas: dict[str, Area],
    django_capture_on_commit_callbacks,
) -> None:
    path = write_csv(tmp_path / "ged.csv", GED_COLUMNS, ged_rows(60))
    client = _client(joc_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, path, mission)

    # accepted as a job; the job ran once the upload committed
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "queued"
    body = _detail(client, response.json()["id"])
    assert body["status"] == "imported"
    assert body["counts"]["created"] == 60
    assert body["rows"] == 60
    assert body["source_name"] == "UCDP GED"
    assert "Uppsala" in body["attribution"]
    assert Incident.objects.filter(mission=mission, import_run_id=body["id"]).count() == 60
    # each incident credits its source, and names the import that brought it
    incident = Incident.objects.filter(mission=mission).first()
    shown = client.get(reverse("api:incident-detail", kwargs={"pk": incident.pk})).json()
    assert "Uppsala" in shown["source_attribution"]
    assert shown["import_run"] == body["id"]
    # one audited operation, with the file's name and checksum, and an entry per incident
    run = IncidentImport.objects.get(pk=body["id"])
    entry = AuditEntry.objects.get(object_id=run.pk, content_type__model="incidentimport")
    assert entry.changes["checksum"][1] == run.checksum
    assert entry.changes["file_name"][1] == "ged.csv"
    assert AuditEntry.objects.filter(request_id=entry.request_id).count() == 61


def test_dry_run_writes_nothing_and_its_confirmation_imports(
    tmp_path: Path,
    joc_officer: User,
    mission: Mission,
    areas: dict[str, Area],
    django_capture_on_commit_callbacks,
) -> None:
    path = write_csv(tmp_path / "ged.csv", GED_COLUMNS, ged_rows(40))
    client = _client(joc_officer)

    with django_capture_on_commit_callbacks(execute=True):
        upload = _upload(client, path, mission, dry_run="true")
    checked = _detail(client, upload.json()["id"])

    assert checked["status"] == "checked"
    assert checked["counts"]["created"] == 40
    assert not Incident.objects.filter(mission=mission).exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("api:incidentimport-confirm", kwargs={"pk": checked["id"]}))

    assert confirmed.status_code == 202, confirmed.json()
    assert _detail(client, confirmed.json()["id"])["status"] == "imported"
    assert confirmed.json()["confirms"] == checked["id"]
    assert Incident.objects.filter(mission=mission).count() == 40


def test_an_unreadable_file_is_refused_with_its_reason(
    tmp_path: Path, joc_officer: User, mission: Mission, django_capture_on_commit_callbacks
) -> None:
    path = tmp_path / "ged.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated workbook")

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(_client(joc_officer), path, mission)

    assert response.status_code == 202
    refused = _detail(_client(joc_officer), response.json()["id"])
    assert refused["status"] == "refused"
    assert "XLSX" in refused["error"]


def test_a_bad_mapping_is_a_400_naming_it(
    tmp_path: Path, joc_officer: User, mission: Mission
) -> None:
    path = write_csv(tmp_path / "any.csv", ["Ref", "Date"], [{"Ref": "1", "Date": "2024-01-02"}])

    response = _upload(
        _client(joc_officer),
        path,
        mission,
        preset="generic",
        mapping=json.dumps({"source": "Register", "columns": {"colour": "Ref"}}),
    )

    assert response.status_code == 400
    assert "colour" in json.dumps(response.json())
    assert not IncidentImport.objects.exists()


def test_leadership_may_not_import(tmp_path: Path, leadership: User, mission: Mission) -> None:
    path = write_csv(tmp_path / "ged.csv", GED_COLUMNS, ged_rows(2))

    assert _upload(_client(leadership), path, mission).status_code == 403


def test_creating_areas_takes_who_manages_the_mission(
    tmp_path: Path, joc_officer: User, mission: Mission
) -> None:
    path = write_csv(tmp_path / "ged.csv", GED_COLUMNS, ged_rows(2))

    assert _upload(_client(joc_officer), path, mission, create_areas="true").status_code == 403
