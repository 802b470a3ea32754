"""The large export: asked for, made by a job, downloaded by its requester alone, expired."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from indicators.models import Rollup
from reports.choices import ExportStatus
from reports.models import ReportExport
from reports.selectors import RESTRICTED_BREAKDOWNS, RESTRICTED_DERIVATIONS
from reports.services import exports_expire

pytestmark = pytest.mark.django_db

LIST = reverse("api:reportexport-list")


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _export(user: User, format: str, django_capture_on_commit_callbacks) -> dict:
    client = _client(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"format": format}, format="json")
    assert response.status_code == 202, response.json()
    return client.get(
        reverse("api:reportexport-detail", kwargs={"pk": response.json()["id"]})
    ).json()


def _rows(user: User, export: dict) -> list[dict[str, str]]:
    response = _client(user).get(export["download"])
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _sensitive(row: dict[str, str]) -> bool:
    from indicators.models import Indicator

    derivation = Indicator.objects.get(code=row["Indicator code"]).derivation
    return derivation in RESTRICTED_DERIVATIONS or row["Breakdown"] in RESTRICTED_BREAKDOWNS


def test_the_secretariats_export_holds_every_missions_rollups_but_the_sensitive(
    figures: None, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    export = _export(secretariat, "csv", django_capture_on_commit_callbacks)

    assert export["status"] == "ready"
    assert export["missions"] == ["MISSA", "MISSB"]
    assert export["sensitive_left_out"] is True
    rows = _rows(secretariat, export)
    kept = Rollup.objects.exclude(indicator__derivation__in=sorted(RESTRICTED_DERIVATIONS)).exclude(
        breakdown__in=sorted(RESTRICTED_BREAKDOWNS)
    )
    assert len(rows) == export["rows"] == kept.count()
    assert not any(_sensitive(row) for row in rows)
    assert {row["Mission"] for row in rows} == {"MISSA", "MISSB"}
    assert any(row["Area"] and row["Sector"] for row in rows)  # locality level, named


def test_a_cleared_reader_of_one_mission_gets_everything_of_it(
    figures: None, poc_adviser: User, mission_a, django_capture_on_commit_callbacks
) -> None:
    export = _export(poc_adviser, "hxl", django_capture_on_commit_callbacks)

    response = _client(poc_adviser).get(export["download"])
    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[1].startswith("#org+acronym,#country+code")
    # an HXL file leaves the mission: the sensitive figures stay out
    assert export["sensitive_left_out"] is True
    csv_export = _export(poc_adviser, "csv", django_capture_on_commit_callbacks)
    assert csv_export["sensitive_left_out"] is False
    assert csv_export["rows"] == Rollup.objects.filter(mission=mission_a).count()


def test_an_export_is_its_requesters_alone(
    figures: None, secretariat: User, administrator: User, django_capture_on_commit_callbacks
) -> None:
    export = _export(secretariat, "csv", django_capture_on_commit_callbacks)

    other = _client(administrator)
    assert (
        other.get(reverse("api:reportexport-detail", kwargs={"pk": export["id"]})).status_code
        == 404
    )
    assert other.get(export["download"]).status_code == 404
    assert export["id"] not in [e["id"] for e in other.get(LIST).json()["results"]]


def test_files_expire(figures: None, secretariat: User, django_capture_on_commit_callbacks) -> None:
    export = _export(secretariat, "csv", django_capture_on_commit_callbacks)
    stored = ReportExport.objects.get(pk=export["id"])

    assert exports_expire(now=timezone.now()) == 0
    assert exports_expire(now=stored.expires_at + datetime.timedelta(seconds=1)) == 1

    stored.refresh_from_db()
    assert stored.status == ExportStatus.EXPIRED and not stored.file
    assert _client(secretariat).get(export["download"]).status_code == 404


def test_nobody_outside_every_mission_may_export(django_capture_on_commit_callbacks) -> None:
    from tests.factories.accounts import UserFactory

    response = _client(UserFactory()).post(LIST, {"format": "csv"}, format="json")

    assert response.status_code == 403
    assert APIClient().post(LIST, {"format": "csv"}, format="json").status_code == 401
