"""Running figures move at each mission's local midnight, with no record changing."""

from __future__ import annotations

import datetime

import pytest
from time_machine import TimeMachineFixture

from indicators.models import Indicator, Rollup, RollupDay
from indicators.rollups import missions_due_a_new_day, rollup_rebuild
from indicators.tasks import roll_figures_day_task
from missions.models import Mission
from tests.factories.missions import MissionFactory
from tests.figures import stored_rollups

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _month(mission: Mission, start: datetime.date) -> Rollup:
    return Rollup.objects.get(
        indicator__code="POC-01",
        mission=mission,
        area=None,
        period="month",
        period_start=start,
        disaggregation="total",
        breakdown="",
    )


def test_the_day_roll_dates_running_figures_on_the_mission_s_new_day(
    time_machine: TimeMachineFixture,
) -> None:
    # given a mission an hour ahead of UTC, its figures rebuilt on Sunday 8 March 2026
    kinshasa = MissionFactory(time_zone="Africa/Kinshasa", reporting_from=datetime.date(2026, 1, 1))
    tokyo = MissionFactory(time_zone="Asia/Tokyo", reporting_from=datetime.date(2026, 1, 1))
    Indicator.objects.get(code="POC-01").targets.create(
        mission=kinshasa,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        target=365,
    )
    time_machine.move_to(datetime.datetime(2026, 3, 8, 12, tzinfo=UTC), tick=False)
    rollup_rebuild()
    march = _month(kinshasa, datetime.date(2026, 3, 1))
    assert (march.covered_days, march.target) == (8, 8)
    assert RollupDay.objects.get(mission=kinshasa).day == datetime.date(2026, 3, 8)

    # when the clock reaches 23:50 local time, no roll is due; at 00:10 local it is
    time_machine.move_to(datetime.datetime(2026, 3, 8, 22, 50, tzinfo=UTC), tick=False)
    assert missions_due_a_new_day() == [tokyo.pk]  # already Monday in Tokyo
    time_machine.move_to(datetime.datetime(2026, 3, 8, 23, 10, tzinfo=UTC), tick=False)
    assert missions_due_a_new_day() == [kinshasa.pk, tokyo.pk]
    roll_figures_day_task.delay()

    # then the running month has nine days and their target, and the new week its zero
    march = _month(kinshasa, datetime.date(2026, 3, 1))
    assert (march.covered_days, march.target, march.value) == (9, 9, 0)
    week = Rollup.objects.get(
        indicator__code="POC-01",
        mission=kinshasa,
        area=None,
        period="week",
        period_start=datetime.date(2026, 3, 9),
        disaggregation="total",
        breakdown="",
    )
    assert week.covered_days == 1 and week.previous_value == 0
    assert RollupDay.objects.get(mission=kinshasa).day == datetime.date(2026, 3, 9)
    assert missions_due_a_new_day() == []
    # and the roll equals a rebuild at the same instant
    rows = stored_rollups()
    rollup_rebuild()
    assert rows == stored_rollups()
