"""No stored date can break the figures: records on the window's edges count, the calendar
takes any date, and a refresh that fails leaves the mission rebuildable."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from time_machine import TimeMachineFixture

from accounts.models import User
from activities.choices import ActivityType
from activities.services import activity_create
from alerts.choices import AlertSource, Severity
from alerts.services import alert_create
from commitments.choices import ImplementationStatus
from commitments.services import implementation_create
from core.choices import Component
from incidents.choices import SourceType, VerificationStatus
from incidents.services import incident_create
from indicators.choices import Derivation
from indicators.models import CalendarDay, Indicator, Rollup
from indicators.rollups import BucketRange, rollup_rebuild, rollup_refresh
from indicators.rollups import service as rollup_service
from indicators.rollups.calendar import calendar_ensure, calendar_row
from indicators.rollups.ranges import WHOLE_MISSION
from missions.models import Area, Mission
from tests.factories.commitments import KeyElementFactory, PhaseFactory, TierFactory
from tests.factories.missions import LocalityFactory
from tests.figures import monthly_figure
from tests.record_dates import FIRST, LAST, TODAY
from threats.choices import PerpetratorCategory, ViolenceType

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FIRST_MONTH = FIRST.replace(day=1)
LAST_MONTH = LAST.replace(day=1)
COUNTS = (Derivation.INCIDENTS, Derivation.ALERTS_RECEIVED, Derivation.ACTIVITIES)


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


def _log_records_on(by: User, mission: Mission, area: Area, day: datetime.date) -> None:
    """Log an incident, an alert and an activity on `day` (the alert in its last local instant)."""
    incident_create(
        by=by,
        mission=mission,
        area=area,
        occurred_on=day,
        incident_type=ViolenceType.KILLING_MAIMING,
        perpetrator_category=PerpetratorCategory.NON_STATE_ARMED_GROUP,
        source_type=SourceType.UN_PATROL,
        verification_status=VerificationStatus.VERIFIED,
        killed_women=1,
    )
    alert_create(
        by=by,
        mission=mission,
        area=area,
        source=AlertSource.COMMUNITY_ALERT_NETWORK,
        severity=Severity.HIGH,
        summary="Armed men seen near the village",
        received_at=datetime.datetime.combine(
            day, datetime.datetime.max.time(), tzinfo=zoneinfo.ZoneInfo(mission.time_zone)
        ),
    )
    activity_create(
        by=by,
        mission=mission,
        area=area,
        activity_type=ActivityType.COMMUNITY_ENGAGEMENT,
        title="Meeting with the local protection committee",
        tier=TierFactory(number=1),
        phase=PhaseFactory(number=1),
        component=Component.CIVIL_AFFAIRS,
        started_on=day,
    )


def _figures(mission: Mission) -> dict[tuple[str, datetime.date], object]:
    return {
        (derivation, month): monthly_figure(derivation, mission, month)
        for derivation in COUNTS
        for month in (FIRST_MONTH, LAST_MONTH)
    }


def test_records_on_the_windows_first_and_last_day_count_after_refresh_and_rebuild(
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    # given: records on both edges, each refreshing its buckets on commit
    time_machine.move_to(TODAY, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        _log_records_on(joc_officer, mission_a, locality, FIRST)
        _log_records_on(joc_officer, mission_a, locality, LAST)
    refreshed = _figures(mission_a)

    # when
    rollup_rebuild(mission=mission_a)

    # then
    assert set(refreshed.values()) == {1}
    assert _figures(mission_a) == refreshed


@pytest.mark.parametrize("day", [datetime.date.min, datetime.date.max], ids=["year-1", "year-9999"])
def test_calendar_row_holds_any_day(day: datetime.date) -> None:
    row = calendar_row(day)

    assert row.week_start <= day <= row.week_end
    assert row.year_start <= row.quarter_start <= row.month_start <= day
    assert day <= row.month_end <= row.quarter_end <= row.year_end


def test_far_dates_break_neither_the_calendar_nor_a_refresh(mission_a: Mission) -> None:
    # given: dates a record stored before the database checked them could carry
    indicator = Indicator.objects.get(derivation=Derivation.INCIDENTS)
    far = BucketRange(
        indicator.pk, mission_a.pk, WHOLE_MISSION, datetime.date.min, datetime.date.max
    )

    # when
    added = calendar_ensure(start=datetime.date(1, 1, 1), end=datetime.date(9999, 12, 31))
    written = rollup_refresh(ranges=[BucketRange.from_key(far.to_key())])

    # then: the calendar covers the dates a record may carry, and no more
    days = CalendarDay.objects.order_by("day")
    assert (days.first().day, days.last().day) == (
        datetime.date(1899, 12, 1),
        datetime.date(2200, 1, 31),
    )
    assert added == days.count()
    assert written == 0


def test_the_calendar_grows_by_the_days_it_lacks_and_has_no_holes():
    # given: a calendar covering 2020 (and the edges of the years around it)
    calendar_ensure(start=datetime.date(2020, 6, 1), end=datetime.date(2020, 6, 1))
    before = CalendarDay.objects.count()
    edge = CalendarDay.objects.order_by("day").last().day

    # when: a record three years later needs more
    added = calendar_ensure(start=datetime.date(2020, 6, 1), end=datetime.date(2023, 6, 1))

    # then: only the days after the old edge are written, up to the end of January 2024
    days = CalendarDay.objects.order_by("day")
    assert added == days.count() - before == (datetime.date(2024, 1, 31) - edge).days
    assert (days.last().day - days.first().day).days + 1 == days.count()
    assert calendar_ensure(start=datetime.date(2020, 6, 1), end=datetime.date(2023, 6, 1)) == 0


def test_a_failed_refresh_leaves_the_mission_rebuildable(
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    time_machine: TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    # given: figures, then a refresh that fails after it deleted and rewrote its buckets
    time_machine.move_to(TODAY, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        _log_records_on(joc_officer, mission_a, locality, LAST)
    before = set(Rollup.objects.values_list("pk", "value"))

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the refresh broke half-way")

    monkeypatch.setattr(rollup_service, "update_previous", fail)
    indicator = Indicator.objects.get(derivation=Derivation.INCIDENTS)
    stale = BucketRange(indicator.pk, mission_a.pk, locality.pk, LAST, LAST)
    with pytest.raises(RuntimeError):
        rollup_refresh(ranges=[stale])
    monkeypatch.undo()

    # when
    after_failure = set(Rollup.objects.values_list("pk", "value"))
    call_command("rollup", mission=mission_a.acronym, verbosity=0, stdout=io.StringIO())

    # then: the failure rolled back whole, and the rebuild gives every figure
    assert after_failure == before
    assert monthly_figure(Derivation.INCIDENTS, mission_a, LAST_MONTH) == 1
    assert monthly_figure(Derivation.ALERTS_RECEIVED, mission_a, LAST_MONTH) == 1
    assert monthly_figure(Derivation.ACTIVITIES, mission_a, LAST_MONTH) == 1


def test_an_element_never_reviewed_counts_from_its_local_day_of_creation(
    mission_a: Mission,
    poc_adviser: User,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks,
) -> None:
    # given an element put on track at 23:30 UTC on 31 March, already 1 April an hour east
    Mission.objects.filter(pk=mission_a.pk).update(time_zone="Africa/Kinshasa")
    mission_a.refresh_from_db()
    time_machine.move_to(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        implementation_create(
            by=poc_adviser,
            mission=mission_a,
            key_element=KeyElementFactory(),
            responsible_component=Component.POC_UNIT,
            status=ImplementationStatus.ON_TRACK,
        )
    time_machine.move_to(datetime.datetime(2026, 4, 2, 12, tzinfo=UTC), tick=False)
    rollup_rebuild(mission=mission_a)
    # then the first quarter, ended on 31 March local time, does not count it; April does
    on_track = Indicator.objects.get(derivation=Derivation.A4P_ELEMENTS_ON_TRACK)
    figures = dict(
        Rollup.objects.filter(
            indicator=on_track, area=None, period="month", disaggregation="total", breakdown=""
        ).values_list("period_start", "value")
    )
    assert datetime.date(2026, 3, 1) not in figures
    assert figures[datetime.date(2026, 4, 1)] == 1
