"""An upload is imported by a real Celery worker (runs when CELERY_BROKER_URL is set)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import Incident
from indicators.choices import Derivation
from indicators.models import Rollup
from tests.imports.files import GED_COLUMNS, build_mission_areas, ged_rows, write_csv
from tests.workers import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="needs a broker: set CELERY_BROKER_URL"
    ),
]


def test_worker_imports_an_upload_and_its_figures_follow(
    worker, tmp_path: Path, mission_a, poc_adviser, eager_celery_off
) -> None:
    build_mission_areas(mission_a)
    rows = ged_rows(40)
    path = write_csv(tmp_path / "ged.csv", GED_COLUMNS, rows)
    client = APIClient()
    client.force_authenticate(poc_adviser)

    with path.open("rb") as handle:
        response = client.post(
            reverse("api:incidentimport-list"),
            {"file": handle, "mission": mission_a.pk, "preset": "ucdp-ged",
             "verification_status": "verified"},
            format="multipart",
        )  # fmt: skip

    assert response.status_code == 202
    detail = reverse("api:incidentimport-detail", kwargs={"pk": response.json()["id"]})
    assert wait_for(lambda: client.get(detail).json()["status"] == "imported", seconds=60)
    assert Incident.objects.filter(mission=mission_a).count() == 40
    killed = sum(int(row["deaths_civilians"]) for row in rows)
    yearly = Rollup.objects.filter(
        indicator__derivation=Derivation.CIVILIANS_KILLED, mission=mission_a, area=None,
        period="year", disaggregation="total", breakdown="",
    )  # fmt: skip
    assert wait_for(lambda: sum(r.value or 0 for r in yearly.all()) == killed, seconds=60)
    worker.terminate()
    log = worker.communicate(timeout=20)[0]
    assert "imports.tasks.run_import_task" in log, log
