"""A real Celery worker on Redis keeps rollups fresh (runs when CELERY_BROKER_URL is set).

The worker is a separate process on the same PostgreSQL test database: an observation saved
through the ORM services enqueues its refresh on commit, the worker computes it, and the
rollup changes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from indicators.models import Indicator, Rollup
from indicators.services import observations as obs
from tests.factories.missions import AreaFactory
from tests.workers import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="needs a broker: set CELERY_BROKER_URL"
    ),
]


def test_worker_refreshes_rollup_after_observation_is_validated(
    worker, mission_a, joc_officer, poc_adviser, eager_celery_off
):
    # given a weekly hand-logged indicator and a locality
    sector = AreaFactory(mission=mission_a, kind="sector", name="North")
    aor = AreaFactory(mission=mission_a, kind="aor", name="Hills", parent=sector)
    village = AreaFactory(mission=mission_a, kind="locality", name="Kalo", parent=aor)
    indicator = Indicator.objects.get(code="POC-19")
    week = datetime.date(2026, 3, 2)  # a Monday
    mission_total = Rollup.objects.filter(
        indicator=indicator,
        mission=mission_a,
        area__isnull=True,
        period="month",
        period_start=datetime.date(2026, 3, 1),
        disaggregation="total",
        breakdown="",
    )
    # when an observation is logged and submitted: the worker shows it as provisional
    o = obs.observation_create(
        by=joc_officer,
        indicator=indicator,
        mission=mission_a,
        area=village,
        period_start=week,
        period_end=week + datetime.timedelta(days=6),
        values={"total": {"value": 6}},
    )
    obs.observation_submit(observation=o, by=joc_officer)
    assert wait_for(lambda: mission_total.filter(provisional_value=6).exists())
    assert mission_total.get().value == 0  # none validated yet: a summed figure of 0
    # and when it is validated, the official figure follows
    obs.observation_validate(observation=o, by=poc_adviser)
    assert wait_for(lambda: mission_total.filter(value=Decimal(6)).exists())
    assert Rollup.objects.filter(indicator=indicator, area=sector, period="month").get().value == 6
    # and it was the worker that computed them
    worker.terminate()
    log = worker.communicate(timeout=20)[0]
    assert log.count("indicators.tasks.refresh_rollups_task") >= 2, log
