"""Completeness and timeliness of hand-logged indicators, as DHIS2's reporting rates.

A place reports an indicator from the first period it submitted a figure for (one still
submitted, validated, or returned for correction; a draft never submitted does not count): the
whole mission, or an area. From then on the indicator's frequency asks it for one observation
per period, due once the period has ended. Each bucket counts the reports expected of the
places in it for the periods ended by the mission's today, those received (submitted or
validated), those submitted within the mission's grace days of the period's end in its time
zone (the latest submission, after any return), and those validated. A figure whose validated
reports fall below the mission's completeness threshold is "incomplete" instead of on or off
track: half the places validated is not a fall by half.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection

from missions.models import Area, Mission

from ..choices import Frequency, ObservationState
from ..models import CalendarDay, Indicator, Observation
from . import dialect
from .calendar import KINDS, period_rows, shift
from .ranges import ALL_AREAS, WHOLE_MISSION, Window
from .status import figure_status

CAL = CalendarDay._meta.db_table
OBSERVATION = Observation._meta.db_table
KIND: dict[str, str] = {
    Frequency.WEEKLY: "week",
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.ANNUAL: "year",
}
# what each bucket counts of its reports (the rollup's `<name>_reports` columns)
COUNTS = ("expected", "received", "on_time", "validated")
# a place reports from its first observation in one of these states (a draft is not a report)
REPORTING_STATES = (
    ObservationState.SUBMITTED,
    ObservationState.VALIDATED,
    ObservationState.RETURNED,
)


def _reports(
    indicator: Indicator,
    mission_id: int,
    as_of: datetime.date,
    window: Window | None,
    params: list[Any],
) -> str:
    """One row per report due (expected 1) and one per report in (whether it came in, in
    time, and validated): its place and the day it counts on.

    Two lists summed rather than the reports due joined to the observations: a place has at
    most one observation a period, and the planner, which cannot tell how many periods the
    calendar holds, would look the observations up again for every report due.
    """
    kind = KIND[indicator.frequency]
    day = dialect.midpoint(f"c.{kind}_start", f"c.{kind}_end")
    deadline = f"{dialect.day_after(f'c.{kind}_end', 'm.report_grace_days')}"
    submitted_on = dialect.local_date("o.submitted_at", "m.time_zone")
    near, near_params = "", []
    if window is not None:  # the reports of whole years around the window's buckets
        near = "AND c.day BETWEEN %s AND %s"
        near_params = [shift(window.start, -400), shift(window.end, 400)]
    received = (ObservationState.SUBMITTED, ObservationState.VALIDATED)
    params += [indicator.pk, mission_id, indicator.pk, mission_id, as_of, *near_params]
    params += [as_of, *near_params, indicator.pk, mission_id, *received]
    reporting = ", ".join(f"'{state}'" for state in REPORTING_STATES)
    return f"""
        report_series AS (
            SELECT mission_id, area_id, since FROM (
                SELECT a.mission_id, a.id AS area_id, (
                    SELECT MIN(o.period_start) FROM {OBSERVATION} o
                    WHERE o.indicator_id = %s AND o.area_id = a.id
                      AND o.mission_id = a.mission_id AND o.state IN ({reporting})) AS since
                FROM {Area._meta.db_table} a WHERE a.mission_id = %s
                UNION ALL
                SELECT m.id, NULL, (
                    SELECT MIN(o.period_start) FROM {OBSERVATION} o
                    WHERE o.indicator_id = %s AND o.mission_id = m.id AND o.area_id IS NULL
                      AND o.state IN ({reporting}))
                FROM {Mission._meta.db_table} m WHERE m.id = %s
            ) places
            WHERE since IS NOT NULL
        ),
        reports_due AS MATERIALIZED (
            SELECT s.mission_id, s.area_id, {day} AS day, 1 AS expected, 0 AS received,
                   0 AS on_time, 0 AS validated
            FROM report_series s
            JOIN {CAL} c ON c.day = c.{kind}_start AND c.day >= s.since AND c.{kind}_end <= %s
                 {near}
            UNION ALL
            SELECT o.mission_id, o.area_id, {day}, 0, 1,
                   CASE WHEN {submitted_on} <= {deadline} THEN 1 ELSE 0 END,
                   CASE WHEN o.state = '{ObservationState.VALIDATED}' THEN 1 ELSE 0 END
            FROM {OBSERVATION} o
            JOIN {Mission._meta.db_table} m ON m.id = o.mission_id
            JOIN {CAL} c ON c.day = o.period_start AND c.{kind}_start = o.period_start
                 AND c.{kind}_end <= %s {near}
            WHERE o.indicator_id = %s AND o.mission_id = %s AND o.state IN (%s, %s)
        )"""


def _placed(indicator: Indicator, window: Window | None, params: list[Any]) -> str:
    """Each report in the buckets of its place and of the areas above it, for every period
    kind at least as long as the indicator's frequency.

    A report's areas and periods are looked up once, before it is spread over levels and
    kinds; in a refresh, only to the kinds whose buckets in the window hold its day.
    """
    kinds = KINDS[KINDS.index(KIND[indicator.frequency]) :]
    periods = period_rows(kinds, window, params)
    within = "" if window is None else "AND r.day BETWEEN k.lo AND k.hi"
    start = " ".join(f"WHEN '{kind}' THEN r.{kind}_start" for kind in kinds)
    end = " ".join(f"WHEN '{kind}' THEN r.{kind}_end" for kind in kinds)
    ends = ", ".join(f"c.{k}_start AS {k}_start, c.{k}_end AS {k}_end" for k in kinds)
    buckets = "level = 0 OR area_id IS NOT NULL"
    if window is not None and window.area_keys is not None:
        keys = sorted(window.area_keys)
        buckets += f" AND COALESCE(area_id, 0) IN ({', '.join(['%s'] * len(keys))})"
        params += keys
    return f"""
        reports_located AS MATERIALIZED (
            SELECT r.*, {ends},
                   CASE WHEN a.kind = 'sector' THEN a.id ELSE a.sector_id END AS sector,
                   CASE WHEN a.kind = 'aor' THEN a.id ELSE a.aor_id END AS aor,
                   CASE WHEN a.kind = 'locality' THEN a.id END AS locality
            FROM reports_due r
            JOIN {CAL} c ON c.day = r.day
            LEFT JOIN {Area._meta.db_table} a ON a.id = r.area_id
        ),
        reports_placed AS (
            SELECT r.mission_id, lv.level,
                   CASE lv.level WHEN 0 THEN NULL WHEN 1 THEN r.sector WHEN 2 THEN r.aor
                        ELSE r.locality END AS area_id,
                   k.name AS period, CASE k.name {start} END AS period_start,
                   CASE k.name {end} END AS period_end,
                   r.expected, r.received, r.on_time, r.validated
            FROM reports_located r
            CROSS JOIN ({periods}) k
            CROSS JOIN (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2
                        UNION ALL SELECT 3) lv
            WHERE (lv.level = 0 OR r.area_id IS NOT NULL) {within}
        ),
        report_counts AS (
            SELECT mission_id, COALESCE(area_id, 0) AS area_key, period, period_start,
                   SUM(expected) AS expected, SUM(received) AS received, SUM(on_time) AS on_time,
                   SUM(validated) AS validated
            FROM reports_placed WHERE {buckets}
            GROUP BY mission_id, COALESCE(area_id, 0), period, period_start
        )"""


def report_counts(
    indicator: Indicator, mission_id: int, as_of: datetime.date, params: list[Any]
) -> str:
    """`report_counts`, the reports of every bucket of a mission (mission_id, area_key,
    period, period_start, expected, received, on_time, validated), as common table
    expressions for a rebuild to join in as it inserts."""
    reports = _reports(indicator, mission_id, as_of, None, params)
    return f"{reports}, {_placed(indicator, None, params)}"


def _first_report_may_move(
    indicator: Indicator, mission_id: int, window: Window, place: int | str | None
) -> bool:
    """Whether a change within `window` at `place` may have moved the place's first report,
    which sets what it owes in every period since.

    It may not when the place still has a report before the window: what changed lies after
    its first one. A range over every area, or one whose place is not known, always may.
    """
    if place is None or place == ALL_AREAS:
        return True
    earlier = Observation.objects.filter(
        indicator=indicator,
        mission_id=mission_id,
        state__in=REPORTING_STATES,
        period_start__lt=window.start,
    )
    if place == WHOLE_MISSION:
        earlier = earlier.filter(area__isnull=True)
    else:
        earlier = earlier.filter(area_id=place)
    return not earlier.exists()


def update_completeness(
    indicator: Indicator,
    mission_id: int,
    as_of: datetime.date,
    *,
    table: str,
    window: Window | None = None,
    place: int | str | None = None,
) -> None:
    """Set the report counts of a hand-logged indicator's buckets in `table` (those of a
    refresh's window, or all), and judge their status again: incomplete below the mission's
    completeness threshold, else against the target. `place` is the area whose records
    changed within the window (ranges.WHOLE_MISSION, ALL_AREAS or an area's id)."""
    if indicator.derivation:
        return
    if window is not None and _first_report_may_move(indicator, mission_id, window, place):
        # a figure submitted for an earlier period, or the first one deleted, changes what
        # the place owes in every period since: recount up to today
        window = Window(window.start, max(window.end, as_of), window.area_keys)
    table = connection.ops.quote_name(table)
    params: list[Any] = []
    reports = _reports(indicator, mission_id, as_of, window, params)
    placed = _placed(indicator, window, params)
    where, where_params = "", list[Any]()
    if window is not None:
        where = f"AND {table}.period_end >= %s AND {table}.period_start <= %s"
        where_params = [window.start, window.end]
        if window.area_keys is not None:
            keys = sorted(window.area_keys)
            where += f" AND {table}.area_key IN ({', '.join(['%s'] * len(keys))})"
            where_params += keys
    same = f"""c.mission_id = {table}.mission_id AND c.area_key = {table}.area_key
               AND c.period = {table}.period AND c.period_start = {table}.period_start"""
    scope = f"{table}.indicator_id = %s AND {table}.mission_id = %s {where}"
    scope_params: list[Any] = [indicator.pk, mission_id, *where_params]
    zeros = ", ".join(f"{name}_reports = 0" for name in COUNTS)
    counts = ", ".join(f"{name}_reports = c.{name}" for name in COUNTS)
    threshold = f"(SELECT m.completeness_threshold FROM {Mission._meta.db_table} m WHERE m.id = %s)"
    with connection.cursor() as cursor:
        # none due yet (a period still running) is 0 expected, not unknown
        cursor.execute(f"UPDATE {table} SET {zeros} WHERE {scope}", scope_params)
        cursor.execute(
            f"""WITH {reports}, {placed}
                UPDATE {table} SET {counts} FROM report_counts c WHERE {same} AND {scope}""",
            [*params, *scope_params],
        )
        # judged again: a bucket outside the refreshed ones may have become complete
        status_params: list[Any] = [mission_id]
        status = figure_status(indicator, threshold, status_params)
        cursor.execute(
            f"UPDATE {table} SET status = {status} WHERE {scope}", [*status_params, *scope_params]
        )
