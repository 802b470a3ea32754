"""Rebuild and refresh: transactions, locks and bookkeeping around the engine's SQL."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from itertools import groupby

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from activities.models import ProtectionActivity
from alerts.models import Alert
from incidents.models import Incident
from missions.models import Area, Mission
from threats.models import Threat

from ..models import Indicator, IndicatorTarget, Observation, Rollup, RollupDay, RollupStamp
from . import dialect
from .calendar import calendar_ensure, calendar_row, shift
from .completeness import update_completeness
from .engine import (
    delete_rollups,
    insert_rollups,
    update_previous,
    update_running_previous,
)
from .facts import FactScope
from .ranges import ALL_AREAS, WHOLE_MISSION, BucketRange, Window, merge

logger = logging.getLogger(__name__)
ROLLUP_TABLE = Rollup._meta.db_table


def _source_span(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last dates any source record, target or mission's first day of records
    refers to (and `as_of`)."""
    spans = [
        Observation.objects.aggregate(lo=Min("period_start"), hi=Max("period_end")),
        IndicatorTarget.objects.aggregate(lo=Min("period_start"), hi=Max("period_end")),
        Incident.objects.aggregate(lo=Min("occurred_on"), hi=Max("occurred_on")),
        ProtectionActivity.objects.aggregate(lo=Min("started_on"), hi=Max("started_on")),
        Threat.objects.aggregate(lo=Min("identified_on"), hi=Max("identified_on")),
        Alert.objects.aggregate(lo=Min("received_on"), hi=Max("received_on")),
        # the zeros of record-derived counts start there, and compare with the period before
        Mission.objects.aggregate(lo=Min("reporting_from"), hi=Max("reporting_from")),
    ]
    dates = [d for span in spans for d in span.values() if d is not None]
    return min(dates, default=as_of), max([*dates, as_of])


def rollup_rebuild(
    *, mission: Mission | None = None, progress: Callable[[Mission, int], None] | None = None
) -> int:
    """Recompute every rollup of one mission, or of all missions, from scratch.

    Readers see the old figures until the new ones are all there. Every mission at once (on
    PostgreSQL) fills a fresh table and swaps it in, so no dead rows are left behind; one
    mission, or any rebuild on SQLite, replaces its rows in one transaction. Returns the
    number of rollup rows written.
    """
    if mission is None and dialect.can_swap_tables():
        return _rebuild_by_swap(progress)
    # read afresh: the SQL reads the missions' settings from the table, and so must this
    missions = list(
        Mission.objects.filter(pk=mission.pk) if mission is not None else Mission.objects.all()
    )
    missions.sort(key=lambda each: each.pk)
    indicators = _prepare(missions)
    written = 0
    for each in missions:
        with transaction.atomic():
            dialect.lock_mission(each.pk)
            dialect.tune_transaction()
            Rollup.objects.filter(mission=each).delete()
            rows, scope = _insert_mission(each, indicators, ROLLUP_TABLE)
            _compare_running(each, indicators, scope, ROLLUP_TABLE)
        dialect.refresh_statistics(ROLLUP_TABLE)
        written += _done(each, rows, progress)
    return written


def _rebuild_by_swap(progress: Callable[[Mission, int], None] | None) -> int:
    """Every mission's rollups written into a fresh table, indexed, analysed and swapped in,
    all in one transaction.

    It holds every mission's lock, so refreshes wait rather than write into the table being
    replaced, then blocks every other writer (a refresh of a mission created meanwhile) and
    lists the missions again, so none that could have rows is left out. A refresh waiting
    runs once the swap commits, on the new table.
    """
    # the calendar first, in a transaction of its own: refreshes fill it too
    indicators = _prepare(list(Mission.objects.order_by("pk")))
    with transaction.atomic():
        for pk in Mission.objects.order_by("pk").values_list("pk", flat=True):
            dialect.lock_mission(pk)
        dialect.hold_writers(ROLLUP_TABLE)
        dialect.tune_transaction()
        missions = list(Mission.objects.order_by("pk"))
        fresh = dialect.fresh_copy(ROLLUP_TABLE)
        written, scopes = 0, []
        for each in missions:
            rows, scope = _insert_mission(each, indicators, fresh)
            scopes.append(scope)
            written += _done(each, rows, progress)
        renames = dialect.index_fresh(ROLLUP_TABLE, fresh)
        # the running periods' comparisons update a few rows each: once the table is indexed,
        # not by a scan of it per indicator
        for each, scope in zip(missions, scopes, strict=True):
            _compare_running(each, indicators, scope, fresh)
        dialect.swap_in(ROLLUP_TABLE, fresh, renames)
    dialect.settle(ROLLUP_TABLE)
    return written


def _prepare(missions: list[Mission]) -> list[Indicator]:
    """Make the calendar cover every date involved; return the indicators to compute."""
    today = max((each.local_date() for each in missions), default=timezone.now().date())
    start, end = _source_span(today)
    calendar_ensure(start=start, end=end)
    return list(Indicator.objects.filter(is_active=True).order_by("pk"))


def _insert_mission(
    mission: Mission, indicators: list[Indicator], into: str
) -> tuple[int, FactScope]:
    """Insert every rollup of one mission, as of its own today, into table `into`, with
    report counts; date them on that day. Returns the rows written and the scope."""
    computed_at = timezone.now()
    scope = FactScope(as_of=mission.local_date(), mission_id=mission.pk, now=computed_at)
    rows = 0
    for indicator in indicators:
        rows += insert_rollups(indicator, scope, None, computed_at, into=into)
    RollupDay.objects.update_or_create(mission=mission, defaults={"day": scope.as_of})
    _stamp(mission.pk, computed_at)
    return rows, scope


def _stamp(mission_id: int, at: datetime.datetime) -> None:
    """Note when the mission's figures changed, for the reports' conditional GET."""
    RollupStamp.objects.bulk_create(
        [RollupStamp(mission_id=mission_id, changed_at=at)],
        update_conflicts=True,
        update_fields=["changed_at"],
        unique_fields=["mission"],
    )


def _compare_running(
    mission: Mission, indicators: list[Indicator], scope: FactScope, table: str
) -> None:
    """Compare a mission's running periods in `table` with the same span of the previous."""
    for indicator in indicators:
        update_running_previous(indicator, scope, None, mission.reporting_from, table=table)


def _done(mission: Mission, rows: int, progress: Callable[[Mission, int], None] | None) -> int:
    logger.info("rebuilt %d rollup rows for %s", rows, mission)
    if progress is not None:
        progress(mission, rows)
    return rows


def _area_keys(ranges: Iterable[BucketRange]) -> dict[int | str, frozenset[int] | None]:
    """For each range's area: the rollup area keys it touches (itself, the areas above it and
    the whole mission, 0); None for every area."""
    ids = {r.area for r in ranges if isinstance(r.area, int)}
    rows = Area.objects.filter(pk__in=ids).values_list("pk", "aor_id", "sector_id")
    keys: dict[int | str, frozenset[int] | None] = {ALL_AREAS: None, WHOLE_MISSION: frozenset({0})}
    for area_id in ids:  # an area deleted since keeps its own key and the mission's
        keys[area_id] = frozenset({0, area_id})
    for pk, aor_id, sector_id in rows:
        keys[pk] = frozenset(k for k in (0, pk, aor_id, sector_id) if k is not None)
    return keys


def _fact_scope(r: BucketRange, as_of: datetime.date, now: datetime.datetime) -> FactScope:
    """Facts that can fall in any bucket overlapping the range: whole years and ISO weeks."""
    first, last = calendar_row(r.start), calendar_row(r.end)
    return FactScope(
        as_of=as_of,
        now=now,
        mission_id=r.mission_id,
        lo=min(first.week_start, first.year_start),
        hi=max(last.week_end, last.year_end),
    )


def rollup_refresh(*, ranges: list[BucketRange]) -> int:
    """Recompute only the buckets the given ranges cover; return the rollup rows written.

    Idempotent: a range is recomputed from the records as they are now, so running it again,
    or twice at once (the mission lock orders them), gives the same rows.
    """
    ranges = merge(ranges)
    if not ranges:
        return 0
    # each mission's figures stand as of its own today (UTC's for a mission deleted since)
    missions = Mission.objects.filter(pk__in={r.mission_id for r in ranges}).only(
        "time_zone", "reporting_from"
    )
    todays = {each.pk: each.local_date() for each in missions}
    records_from = {each.pk: each.reporting_from for each in missions}
    end = max(r.end for r in ranges)
    starts = [r.start for r in ranges] + [d for d in records_from.values() if d is not None]
    calendar_ensure(start=min(starts), end=max(end, *todays.values()))
    indicators = Indicator.objects.in_bulk({r.indicator_id for r in ranges})
    area_keys = _area_keys(ranges)
    written = 0
    for mission_id, group in groupby(ranges, key=lambda r: r.mission_id):
        as_of = todays.get(mission_id) or timezone.now().date()
        with transaction.atomic():
            dialect.lock_mission(mission_id)
            dialect.tune_transaction()
            computed_at = timezone.now()
            for r in group:
                indicator = indicators.get(r.indicator_id)
                window = Window(start=r.start, end=r.end, area_keys=area_keys[r.area])
                if indicator is None:
                    continue  # deleted: its rollups went with it
                delete_rollups(indicator, mission_id, window)
                if not indicator.is_active:
                    continue
                scope = _fact_scope(r, as_of, computed_at)
                written += insert_rollups(indicator, scope, window, computed_at)
                update_previous(indicator, mission_id, window)
                update_completeness(
                    indicator, mission_id, as_of, table=ROLLUP_TABLE, window=window, place=r.area
                )
                # the running periods compare with the same span of the previous ones
                update_running_previous(
                    indicator,
                    scope,
                    window.area_keys,
                    records_from.get(mission_id),
                    changed=(r.start, r.end),
                )
            if mission_id in todays:  # not for a mission deleted since
                _stamp(mission_id, computed_at)
    logger.info("refreshed %d rollup rows for %d ranges", written, len(ranges))
    return written


def missions_due_a_new_day(now: datetime.datetime | None = None) -> list[int]:
    """Missions whose local day has turned since their figures were last dated."""
    now = now or timezone.now()
    dated = dict(RollupDay.objects.values_list("mission_id", "day"))
    missions = Mission.objects.filter(is_active=True).only("time_zone").order_by("pk")
    return [m.pk for m in missions if m.pk not in dated or dated[m.pk] < m.local_date(now)]


def rollup_roll_day(*, mission: Mission, now: datetime.datetime | None = None) -> int:
    """Date a mission's running figures on its new local day; return the rows written.

    Recomputes, for every active indicator, the buckets from the day they were last dated (at
    most yesterday) to today: the periods that ended since and those now running, whose stock
    figures ("as of" today), days covered, pro-rated targets and the zeros of the new periods
    move with the day.
    """
    today = mission.local_date(now)
    dated = RollupDay.objects.filter(mission=mission).values_list("day", flat=True).first()
    # from the day they were last dated, whose running periods may have ended since
    since = shift(today, -1) if dated is None else min(dated, shift(today, -1))
    indicators = Indicator.objects.filter(is_active=True).values_list("pk", flat=True)
    written = rollup_refresh(
        ranges=[BucketRange(pk, mission.pk, ALL_AREAS, since, today) for pk in indicators]
    )
    RollupDay.objects.update_or_create(mission=mission, defaults={"day": today})
    return written
