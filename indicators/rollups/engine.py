"""The SQL that turns facts into rollup rows: place, aggregate, compare with targets, write.

One INSERT … SELECT … GROUP BY per indicator, executed in the database. A fact is placed in
every level of the area hierarchy above it (its locality, area of responsibility, sector and
the whole mission), every period kind it feeds, its own disaggregation and the total, and the
headline and each breakdown it carries (breakdowns for the whole mission and its sectors only:
finer, they would multiply rows without answering a question anyone asks); then each bucket is
combined with the indicator's method.

On PostgreSQL a fact is looked up once (its ancestors, its period at each kind) and one
GROUP BY GROUPING SETS produces every bucket; SQLite, which has no grouping sets, joins each
fact to its candidate buckets and groups them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction

from missions.models import Area, Mission

from ..choices import CombinationMethod, TimeAggregation, Unit
from ..models import CalendarDay, Indicator, IndicatorTarget, Rollup
from . import dialect
from .calendar import KINDS, calendar_row, period_rows, shift
from .completeness import COUNTS, report_counts
from .facts import FACT_COLUMNS, STOCK_DERIVATIONS, FactScope, fact_sql
from .ranges import Window
from .status import figure_status

CAL = CalendarDay._meta.db_table
MISSION = Mission._meta.db_table
ROLLUP = Rollup._meta.db_table
TARGET = IndicatorTarget._meta.db_table
BUCKET = "mission_id, level, area_id, period, period_start, period_end, disaggregation, breakdown"
INSERT_COLUMNS = (
    "indicator_id, mission_id, area_id, level, period, period_start, period_end, "
    "disaggregation, breakdown, value, numerator, denominator, provisional_value, "
    "official_count, provisional_count, previous_value, change, baseline, target, status, "
    "covered_days, expected_reports, received_reports, on_time_reports, validated_reports, "
    "source_changed_at, computed_at"
)
# Methods whose figure means the same at any level and period, so a mission target applies to
# every sector and area; additive ones (sums, counts) are compared at mission level only.
INTENSIVE: frozenset[str] = frozenset(
    {
        CombinationMethod.MEAN,
        CombinationMethod.MIN,
        CombinationMethod.MAX,
        CombinationMethod.MEDIAN,
        CombinationMethod.RATIO,
        CombinationMethod.SHARE_WITHIN_STANDARD,
    }
)


def is_intensive(indicator: Indicator) -> bool:
    """Whether the figure means the same at any level (a share, a mean), not an amount."""
    return indicator.method in INTENSIVE


def is_flow_sum(indicator: Indicator) -> bool:
    """Whether the figure is an amount that adds up over days: a flow summed. Its empty
    bucket is a true 0, and its target is split by days."""
    return (
        indicator.time_aggregation == TimeAggregation.FLOW
        and indicator.method == CombinationMethod.SUM
    )


def counts_zero(indicator: Indicator) -> bool:
    """Whether a bucket without records is a true 0: a summed flow derived from records,
    from the day the mission's records are all in the tracker (`Mission.reporting_from`).

    A record-derived count with nothing recorded means nothing happened, as far as the mission
    knows; a hand-logged figure without an observation is a missing report, not a zero.
    """
    return is_flow_sum(indicator) and bool(indicator.derivation)


def is_ranked(indicator: Indicator) -> bool:
    """Whether a bucket takes each place's last reading only (a stock of readings).

    Stock derivations need no ranking: their facts are already the states at period ends.
    """
    return (
        indicator.time_aggregation == TimeAggregation.STOCK
        and indicator.derivation not in STOCK_DERIVATIONS
    )


def _when(condition: str, expression: str) -> str:
    return f"CASE WHEN {condition} THEN {expression} END" if condition else expression


def _round(expression: str) -> str:
    return f"ROUND(CAST({expression} AS NUMERIC), 4)"


def _conditions(indicator: Indicator) -> tuple[str, str]:
    """The facts a bucket's official and provisional figures take in.

    A stock takes each place's last reading of the period (`rn = 1`), whatever its state:
    when that reading still awaits validation, the place is left out of the official figure
    instead of an older validated reading standing in for it, which would mix periods.
    """
    ranked = "rn = 1" if is_ranked(indicator) else ""
    official = f"official = 1 AND {ranked}" if ranked else "official = 1"
    return official, ranked


def _combined(indicator: Indicator, condition: str) -> tuple[str, str, str]:
    """SQL for value, numerator and denominator of the facts meeting `condition`."""
    method = indicator.method
    none = "CAST(NULL AS NUMERIC)"
    if method in (CombinationMethod.RATIO, CombinationMethod.SHARE_WITHIN_STANDARD):
        scale = "100.0" if indicator.unit == Unit.PERCENTAGE else "1.0"
        num, den = f"SUM({_when(condition, 'num')})", f"SUM({_when(condition, 'den')})"
        return _round(f"{num} * {scale} / NULLIF({den}, 0)"), num, den
    if method == CombinationMethod.MEAN:
        # weighted by what each value averages (its denominator, else 1): pooled, so the
        # total of a sex-age split or a sector is never a mean of means
        weight = "COALESCE(den, 1)"
        counted = f"{condition} AND value IS NOT NULL" if condition else "value IS NOT NULL"
        weighted = f"SUM({_when(condition, f'value * {weight} * 1.0')})"  # SQLite: no int division
        value = _round(f"{weighted} / NULLIF(SUM({_when(counted, weight)}), 0)")
        return value, none, none
    if method == CombinationMethod.MEDIAN:
        return _round(dialect.median(_when(condition, "value"))), none, none
    func = {"sum": "SUM", "min": "MIN", "max": "MAX"}[method]
    return _round(f"{func}({_when(condition, 'value')})"), none, none


def _aggregates(indicator: Indicator) -> dict[str, str]:
    """SQL for value, numerator, denominator and provisional value of one bucket."""
    none = "CAST(NULL AS NUMERIC)"
    official, provisional = _conditions(indicator)
    if indicator.derivation in STOCK_DERIVATIONS:
        return {
            "value": f"COUNT(DISTINCT {_when(official, 'source_id')})",
            "numerator": none,
            "denominator": none,
            "provisional_value": "COUNT(DISTINCT source_id)",
        }
    value, numerator, denominator = _combined(indicator, official)
    if is_flow_sum(indicator):
        value = f"COALESCE({value}, 0)"  # nothing verified yet: none, a true 0
    return {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "provisional_value": _combined(indicator, provisional)[0],
    }


def _placed(window: Window | None, params: list[Any]) -> str:
    """Facts placed in every level, period kind, disaggregation and breakdown they count in."""
    kinds = period_rows(KINDS, window, params)
    within = "" if window is None else " AND f.day BETWEEN pk.lo AND pk.hi"
    sql = f"""
        SELECT f.mission_id, lv.level,
               CASE lv.level WHEN 0 THEN NULL
                    WHEN 1 THEN CASE WHEN a.kind = 'sector' THEN a.id ELSE a.sector_id END
                    WHEN 2 THEN CASE WHEN a.kind = 'aor' THEN a.id ELSE a.aor_id END
                    ELSE CASE WHEN a.kind = 'locality' THEN a.id END END AS area_id,
               pk.name AS period,
               CASE pk.kind WHEN 1 THEN c.week_start WHEN 2 THEN c.month_start
                    WHEN 3 THEN c.quarter_start ELSE c.year_start END AS period_start,
               CASE pk.kind WHEN 1 THEN c.week_end WHEN 2 THEN c.month_end
                    WHEN 3 THEN c.quarter_end ELSE c.year_end END AS period_end,
               CASE dx.which WHEN 0 THEN f.disagg ELSE 'total' END AS disaggregation,
               CASE bx.which WHEN 0 THEN '' WHEN 1 THEN f.tag1 ELSE f.tag2 END AS breakdown,
               f.value, f.num, f.den, f.official, f.changed_at, f.source_id, f.day,
               COALESCE(f.area_id, 0) AS leaf
        FROM f
        JOIN {CAL} c ON c.day = f.day
        LEFT JOIN {Area._meta.db_table} a ON a.id = f.area_id
        CROSS JOIN (SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2
                    UNION ALL SELECT 3) lv
        JOIN ({kinds}) pk ON pk.kind BETWEEN f.min_kind AND f.max_kind{within}
        CROSS JOIN (SELECT 0 AS which UNION ALL SELECT 1) dx
        CROSS JOIN (SELECT 0 AS which UNION ALL SELECT 1 UNION ALL SELECT 2) bx
        WHERE (dx.which = 0 OR f.disagg <> 'total')
          AND ((bx.which = 0 AND f.headline = 1) OR (bx.which = 1 AND f.tag1 IS NOT NULL)
               OR (bx.which = 2 AND f.tag2 IS NOT NULL))
          AND (bx.which = 0 OR lv.level <= 1)
          AND (lv.level = 0 OR f.area_id IS NOT NULL)"""
    outer = "SELECT * FROM (" + sql + ") placed WHERE (level = 0 OR area_id IS NOT NULL)"
    if window is not None:  # its periods are bounded by `period_rows`; its areas and spans:
        if window.area_keys is not None:
            keys = sorted(window.area_keys)
            outer += f" AND COALESCE(area_id, 0) IN ({', '.join(['%s'] * len(keys))})"
            params.extend(keys)
        if window.spans:
            spans = " OR ".join(
                ["(period = %s AND period_start = %s AND day <= %s)"] * len(window.spans)
            )
            outer += f" AND ({spans})"
            params.extend(value for span in window.spans for value in span)
    return outer


RANKED = f"""
    SELECT placed.*,
           RANK() OVER (PARTITION BY {BUCKET}, leaf ORDER BY day DESC, source_id DESC) AS rn
    FROM placed"""


def _target(indicator: Indicator, column: str, params: list[Any]) -> str:
    """A period's target (or baseline), from the mission's targets whose periods overlap it.

    A bucket has one only if targets cover every one of its days. Summed flows pro-rate by
    days: each day takes its share of the target in force that day (the latest-starting target
    that covers it), so an ISO week from 29 December 2025 to 4 January 2026 gets 3/365 of the
    2025 target and 4/365 of the 2026 one. Only the days the bucket covers count: those gone
    by (a running year gets its year-to-date target) and from the day the mission's records
    are all in (a year whose records start in December gets December's share), so the figure
    and its target always span the same days.

    The other methods give a level (a share, a mean, a latest or period-end reading), which
    cannot be split by days: the bucket takes the target covering most of its days, the
    later-starting one on a tie. That is the level in force for most of the period; unlike a
    walk over the bucket's days it stays cheap at every level and place these targets apply
    to; and whenever one target spans the whole bucket it picks the latest-starting such
    target, as before.
    """
    intensive = is_intensive(indicator)
    prorate = is_flow_sum(indicator)
    levels = "" if intensive else "AND g.level = 0"
    figure = _prorated(indicator, column, params) if prorate else _level(indicator, column, params)
    return f"""
        CASE WHEN g.disaggregation = 'total' AND g.breakdown = '' {levels} THEN {figure} END"""


def _covered(indicator: Indicator, params: list[Any]) -> str:
    """Whether targets cover every day of bucket g: its first day is, and every target ending
    inside it is followed on the next day by one that covers that day."""
    gap = dialect.days_between("t1.period_end", "t2.period_start")
    params.extend([indicator.pk] * 2)
    return f"""EXISTS (
               SELECT 1 FROM {TARGET} t1
               WHERE t1.indicator_id = %s AND t1.mission_id = g.mission_id
                 AND t1.period_start <= g.period_start AND t1.period_end >= g.period_start)
           AND NOT EXISTS (
               SELECT 1 FROM {TARGET} t1
               WHERE t1.indicator_id = %s AND t1.mission_id = g.mission_id
                 AND t1.period_end >= g.period_start AND t1.period_end < g.period_end
                 AND NOT EXISTS (
                     SELECT 1 FROM {TARGET} t2
                     WHERE t2.indicator_id = t1.indicator_id AND t2.mission_id = t1.mission_id
                       AND {gap} <= 1 AND t2.period_end > t1.period_end))"""


def _prorated(indicator: Indicator, column: str, params: list[Any]) -> str:
    """The sum over the targets overlapping bucket g of each one's share for the days of g
    it is in force (those no later-starting target covers)."""
    target_days = dialect.days_between("tg.period_start", "tg.period_end")
    in_force = f"""(SELECT COUNT(*) FROM {CAL} c
                WHERE c.day BETWEEN g.cover_from AND g.cover_to
                  AND c.day BETWEEN tg.period_start AND tg.period_end
                  AND NOT EXISTS (
                      SELECT 1 FROM {TARGET} t2
                      WHERE t2.indicator_id = tg.indicator_id AND t2.mission_id = tg.mission_id
                        AND t2.period_start > tg.period_start
                        AND t2.period_start <= c.day AND t2.period_end >= c.day))"""
    params.append(indicator.pk)
    covered = _covered(indicator, params)
    # a part whose target lacks the figure (a baseline left blank) leaves the bucket without
    return f"""
        (SELECT CASE WHEN g.covered_days > 0 AND COUNT(tg.{column}) = COUNT(*) THEN
                    {_round(f"SUM(tg.{column} * 1.0 * {in_force} / ({target_days} + 1))")} END
         FROM {TARGET} tg
         WHERE tg.indicator_id = %s AND tg.mission_id = g.mission_id
           AND tg.period_start <= g.period_end AND tg.period_end >= g.period_start
           AND {covered})"""


def _level(indicator: Indicator, column: str, params: list[Any]) -> str:
    """The target covering most of bucket g's days (the later-starting on a tie), if targets
    cover all of them."""
    shared = dialect.days_shared(
        "tg.period_start", "tg.period_end", "g.period_start", "g.period_end"
    )
    rival = dialect.days_shared(
        "t3.period_start", "t3.period_end", "g.period_start", "g.period_end"
    )
    params.append(indicator.pk)
    covered = _covered(indicator, params)
    # no rival covering more days, or as many and starting later (SQLite's ORDER BY cannot
    # read the outer bucket, so the choice is a condition)
    return f"""
        (SELECT {_round(f"tg.{column}")} FROM {TARGET} tg
         WHERE tg.indicator_id = %s AND tg.mission_id = g.mission_id
           AND tg.period_start <= g.period_end AND tg.period_end >= g.period_start
           AND {covered}
           AND NOT EXISTS (
               SELECT 1 FROM {TARGET} t3
               WHERE t3.indicator_id = tg.indicator_id AND t3.mission_id = tg.mission_id
                 AND t3.period_start <= g.period_end AND t3.period_end >= g.period_start
                 AND ({rival} > {shared}
                      OR ({rival} = {shared} AND t3.period_start > tg.period_start))))"""


# (level, the located column holding a fact's area at that level); level 0 is the mission
LEVELS = ((0, None), (1, "sector"), (2, "aor"), (3, "locality"))
BREAKDOWNS = ("head", "tag1", "tag2")


def _located() -> str:
    """Each fact once, with its area at every level and its period at every kind it feeds.

    A kind the fact does not feed and a level it has no area at are NULL, so the grouping
    sets below drop them. `disagg` is NULL for 'total' (every fact counts in the total),
    `head` is '' for facts counted in the headline figure.
    """
    periods = ", ".join(
        f"CASE WHEN f.min_kind <= {n} AND f.max_kind >= {n} THEN c.{kind}_start END "
        f"AS {kind}_start, c.{kind}_end AS {kind}_end"
        for n, kind in enumerate(KINDS, 1)
    )
    return f"""
        SELECT f.mission_id,
               CASE WHEN a.kind = 'sector' THEN a.id ELSE a.sector_id END AS sector,
               CASE WHEN a.kind = 'aor' THEN a.id ELSE a.aor_id END AS aor,
               CASE WHEN a.kind = 'locality' THEN a.id END AS locality,
               {periods},
               CASE WHEN f.disagg <> 'total' THEN f.disagg END AS disagg,
               CASE WHEN f.headline = 1 THEN '' END AS head, f.tag1, f.tag2,
               f.value, f.num, f.den, f.official, f.changed_at, f.source_id, f.day,
               COALESCE(f.area_id, 0) AS leaf
        FROM f
        JOIN {CAL} c ON c.day = f.day
        LEFT JOIN {Area._meta.db_table} a ON a.id = f.area_id"""


def _present(columns: list[str]) -> str:
    """A grouping set's groups whose own columns are all known: a set grouping by sector
    drops the facts without one (NULL is a group of its own in GROUP BY)."""
    return " AND ".join(f"(GROUPING({c}) = 1 OR {c} IS NOT NULL)" for c in columns)


LEVEL = (
    "CASE WHEN GROUPING(locality) = 0 THEN 3 WHEN GROUPING(aor) = 0 THEN 2 "
    "WHEN GROUPING(sector) = 0 THEN 1 ELSE 0 END"
)


def _record_flags() -> str:
    """Whether a fact is the first of its record among the record's facts in a bucket.

    A record of a non-stock derivation sits in one place on one day, so its facts share
    every area and period, and meet in a bucket only through its disaggregation (the total
    gathers all groups) and breakdown (a headline of several violations). One flag per such
    class lets the grouping count records with COUNT(*) FILTER, which PostgreSQL hashes,
    where COUNT(DISTINCT) would sort every grouping set's input.
    """
    flags = []
    for b in BREAKDOWNS:
        flags.append(f"ROW_NUMBER() OVER (PARTITION BY source_id, {b}) AS first_{b}")
        flags.append(f"ROW_NUMBER() OVER (PARTITION BY source_id, {b}, disagg) AS first_{b}_d")
    return ", ".join(flags)


def _counted(official: bool) -> str:
    """The distinct records of a bucket, from the flag of its grouping set's class."""
    only = " AND official = 1" if official else ""
    cases = " ".join(
        f"WHEN GROUPING({b}) = 0 AND GROUPING(disagg) = {d} "
        f"THEN COUNT(*) FILTER (WHERE first_{b}{'_d' if d == 0 else ''} = 1{only})"
        for b in BREAKDOWNS
        for d in (0, 1)
    )
    return f"CASE {cases} END"


def _grouping_sets(indicator: Indicator, aggregates: dict[str, str]) -> str:
    """`grouped` in one GROUP BY GROUPING SETS pass over the located facts (PostgreSQL).

    A set per period kind, level, disaggregation (its own or the total) and breakdown (the
    headline at every level; the two breakdowns for the mission and its sectors only).
    """
    sets = []
    for kind in KINDS:
        for disagg in ("", "disagg, "):
            for level, column in LEVELS:
                for b in BREAKDOWNS if level <= 1 else ("head",):
                    area = f"{column}, " if column else ""
                    sets.append(f"(mission_id, {kind}_start, {kind}_end, {area}{disagg}{b})")
    stock = indicator.derivation in STOCK_DERIVATIONS
    # a stock's record counts in several areas (a threat affects several): only DISTINCT
    # counts it once at the levels above them
    official_count = (
        f"COUNT(DISTINCT {_when('official = 1', 'source_id')})" if stock else _counted(True)
    )
    provisional_count = "COUNT(DISTINCT source_id)" if stock else _counted(False)
    source = "located" if stock else "flagged"
    starts = ", ".join(f"{k}_start" for k in KINDS)
    ends = ", ".join(f"{k}_end" for k in KINDS)
    period = " ".join(f"WHEN GROUPING({k}_start) = 0 THEN '{k}'" for k in KINDS)
    present = _present(
        [c for _, c in LEVELS if c] + [f"{k}_start" for k in KINDS] + ["disagg", *BREAKDOWNS]
    )
    flagged = "" if stock else f"flagged AS (SELECT located.*, {_record_flags()} FROM located),"
    return f"""{flagged}
        grouped AS (
            SELECT mission_id, {LEVEL} AS level, COALESCE(locality, aor, sector) AS area_id,
                   CASE {period} END AS period, COALESCE({starts}) AS period_start,
                   COALESCE({ends}) AS period_end,
                   COALESCE(disagg, 'total') AS disaggregation,
                   COALESCE(head, tag1, tag2) AS breakdown,
                   {aggregates["value"]} AS value,
                   {aggregates["numerator"]} AS numerator,
                   {aggregates["denominator"]} AS denominator,
                   {aggregates["provisional_value"]} AS provisional_value,
                   {official_count} AS official_count,
                   {provisional_count} AS provisional_count,
                   MAX(changed_at) AS source_changed_at
            FROM {source}
            GROUP BY GROUPING SETS ({", ".join(sets)})
            HAVING {present}
        )"""


def _ranked_levels(aggregates: dict[str, str]) -> str:
    """`grouped` for each place's last reading of a stock (PostgreSQL).

    A fact's rank among its place's facts of a period, disaggregation and breakdown does not
    depend on the level, so the facts are spread over those first, ranked once, and only then
    grouped by level.
    """
    period = " ".join(f"WHEN {n} THEN l.{k}_start" for n, k in enumerate(KINDS, 1))
    period_end = " ".join(f"WHEN {n} THEN l.{k}_end" for n, k in enumerate(KINDS, 1))
    kinds = " UNION ALL ".join(f"SELECT {n} AS kind, '{k}' AS name" for n, k in enumerate(KINDS, 1))
    bucket = "mission_id, period, period_start, disaggregation, breakdown"
    base = "mission_id, period, period_start, period_end, disaggregation, breakdown"
    sets = ", ".join(f"({base}, {c})" if c else f"({base})" for _, c in LEVELS)
    return f"""
        spread AS (
            SELECT l.mission_id, l.sector, l.aor, l.locality, pk.name AS period,
                   CASE pk.kind {period} END AS period_start,
                   CASE pk.kind {period_end} END AS period_end,
                   CASE dx.which WHEN 0 THEN COALESCE(l.disagg, 'total') ELSE 'total' END
                       AS disaggregation,
                   CASE bx.which WHEN 0 THEN l.head WHEN 1 THEN l.tag1 ELSE l.tag2 END
                       AS breakdown,
                   l.value, l.num, l.den, l.official, l.changed_at, l.source_id, l.day, l.leaf
            FROM located l
            CROSS JOIN ({kinds}) pk
            CROSS JOIN (SELECT 0 AS which UNION ALL SELECT 1) dx
            CROSS JOIN (SELECT 0 AS which UNION ALL SELECT 1 UNION ALL SELECT 2) bx
            WHERE (dx.which = 0 OR l.disagg IS NOT NULL)
        ),
        ranked AS (
            SELECT spread.*,
                   RANK() OVER (PARTITION BY {bucket}, leaf
                                ORDER BY day DESC, source_id DESC) AS rn,
                   ROW_NUMBER() OVER (PARTITION BY {bucket}, source_id) AS first
            FROM spread
            WHERE period_start IS NOT NULL AND breakdown IS NOT NULL
        ),
        grouped AS (
            SELECT mission_id, {LEVEL} AS level, COALESCE(locality, aor, sector) AS area_id,
                   period, period_start, period_end, disaggregation, breakdown,
                   {aggregates["value"]} AS value,
                   {aggregates["numerator"]} AS numerator,
                   {aggregates["denominator"]} AS denominator,
                   {aggregates["provisional_value"]} AS provisional_value,
                   COUNT(*) FILTER (WHERE first = 1 AND rn = 1 AND official = 1)
                       AS official_count,
                   COUNT(*) FILTER (WHERE first = 1 AND rn = 1) AS provisional_count,
                   MAX(changed_at) AS source_changed_at
            FROM ranked
            GROUP BY GROUPING SETS ({sets})
            HAVING {_present(["sector", "aor", "locality"])}
               AND (breakdown = '' OR GROUPING(aor) + GROUPING(locality) = 2)
        )"""


def _aggregation(
    indicator: Indicator, scope: FactScope, window: Window | None
) -> tuple[str, list[Any]]:
    """The common table expressions up to `grouped`: one row per bucket, with its figures.

    A rebuild on PostgreSQL groups by grouping sets. A refresh needs a handful of buckets
    from a mission-year of facts: filtering the candidate buckets before grouping them is
    cheaper there (on a tenth of the benchmark's data, 33 ms against 76 ms for the grouping
    sets, which aggregate every bucket of those facts), and SQLite has no grouping sets.
    """
    facts, params = fact_sql(indicator, scope)
    aggregates = _aggregates(indicator)
    official, provisional = _conditions(indicator)
    if window is None and dialect.has_grouping_sets():
        if is_ranked(indicator):
            grouped = _ranked_levels(aggregates)
        else:
            grouped = _grouping_sets(indicator, aggregates)
        sql = f"""
            WITH f({FACT_COLUMNS}) AS ({facts}),
            located AS ({_located()}),
            {grouped}"""
        return sql, params
    placed = _placed(window, params)
    source = "ranked" if is_ranked(indicator) else "placed"
    # `ranked` only when needed: a CTE read twice would be materialised instead of streamed
    ranked = f"ranked AS ({RANKED})," if source == "ranked" else ""
    sql = f"""
        WITH f({FACT_COLUMNS}) AS ({facts}),
        placed AS ({placed}),
        {ranked}
        grouped AS (
            SELECT {BUCKET},
                   {aggregates["value"]} AS value,
                   {aggregates["numerator"]} AS numerator,
                   {aggregates["denominator"]} AS denominator,
                   {aggregates["provisional_value"]} AS provisional_value,
                   COUNT(DISTINCT {_when(official, "source_id")}) AS official_count,
                   COUNT(DISTINCT {_when(provisional, "source_id")}) AS provisional_count,
                   MAX(changed_at) AS source_changed_at
            FROM {source} GROUP BY {BUCKET}
        )"""
    return sql, params


def _zeros(indicator: Indicator, scope: FactScope, window: Window | None) -> tuple[str, list[Any]]:
    """The headline buckets of the whole mission and its sectors for every period from the
    mission's `reporting_from` to `as_of`, each a 0 unless `grouped` holds its figure."""
    params: list[Any] = []
    periods = " UNION ALL ".join(
        f"SELECT DISTINCT '{kind}' AS period, c.{kind}_start AS period_start, "
        f"c.{kind}_end AS period_end FROM {CAL} c WHERE c.day <= %s"
        for kind in ("week", "month", "quarter", "year")
    )
    params.extend([scope.as_of] * 4)
    places = f"""SELECT m2.id AS mission_id, 0 AS level, CAST(NULL AS BIGINT) AS area_id
                 FROM {MISSION} m2
                 UNION ALL SELECT a.mission_id, 1, a.id FROM {Area._meta.db_table} a
                 WHERE a.kind = 'sector'"""
    where = "m.reporting_from IS NOT NULL"
    if scope.mission_id is not None:
        where += " AND m.id = %s"
        params.append(scope.mission_id)
    if window is not None:
        where += " AND k.period_end >= %s AND k.period_start <= %s"
        params.extend([window.start, window.end])
        if window.area_keys is not None:
            keys = sorted(window.area_keys)
            where += f" AND COALESCE(p.area_id, 0) IN ({', '.join(['%s'] * len(keys))})"
            params.extend(keys)
    sql = f"""
        zeros AS (
            SELECT p.mission_id, p.level, p.area_id, k.period, k.period_start, k.period_end,
                   'total' AS disaggregation, '' AS breakdown
            FROM {MISSION} m
            JOIN ({places}) p ON p.mission_id = m.id
            JOIN ({periods}) k ON k.period_end >= m.reporting_from
            WHERE {where}
        ),
        filled AS (
            SELECT * FROM grouped
            UNION ALL
            SELECT z.*, 0, NULL, NULL, 0, 0, 0, NULL
            FROM zeros z
            WHERE NOT EXISTS (
                SELECT 1 FROM grouped g
                WHERE g.mission_id = z.mission_id AND g.level = z.level
                  AND COALESCE(g.area_id, 0) = COALESCE(z.area_id, 0) AND g.period = z.period
                  AND g.period_start = z.period_start AND g.disaggregation = 'total'
                  AND g.breakdown = ''))"""
    return sql, params


def aggregate_only(indicator: Indicator, scope: FactScope) -> tuple[Any, ...]:
    """Run the aggregation alone and write nothing: the floor a rebuild is measured against.

    Every figure is summed so that the database must compute all of them.
    """
    sql, params = _aggregation(indicator, scope, None)
    sql += """
        SELECT COUNT(*), SUM(value), SUM(numerator), SUM(provisional_value),
               SUM(official_count), SUM(provisional_count), MAX(source_changed_at)
        FROM grouped"""
    with transaction.atomic(), connection.cursor() as cursor:
        dialect.tune_transaction()
        cursor.execute(sql, params)
        row: tuple[Any, ...] = cursor.fetchone()
        return row


def insert_rollups(
    indicator: Indicator,
    scope: FactScope,
    window: Window | None,
    computed_at: datetime.datetime,
    *,
    into: str = ROLLUP,
) -> int:
    """Compute and insert the rollups of one indicator in `scope` (and `window`); return rows.

    Without a window (a rebuild) every bucket is computed in one statement, so the previous
    period's value comes from a window function and a hand-logged indicator's report counts
    from a join; a refresh sets them afterwards. `into` is the table written: a rebuild fills
    a fresh copy of the rollup table, which has no index yet to update rows by.
    """
    aggregation, params = _aggregation(indicator, scope, window)
    source = "grouped"
    if counts_zero(indicator):
        zeros, zero_params = _zeros(indicator, scope, window)
        aggregation += "," + zeros
        params += zero_params
        source = "filled"
    reports = ", ".join(f"CAST(NULL AS INTEGER) AS {name}_reports" for name in COUNTS)
    joined = ""
    if window is None and not indicator.derivation:
        assert scope.mission_id is not None
        aggregation += "," + report_counts(indicator, scope.mission_id, scope.as_of, params)
        reports = ", ".join(f"COALESCE(rc.{name}, 0) AS {name}_reports" for name in COUNTS)
        joined = """LEFT JOIN report_counts rc ON rc.mission_id = g.mission_id
                    AND rc.area_key = COALESCE(g.area_id, 0) AND rc.period = g.period
                    AND rc.period_start = g.period_start"""
    target_params: list[Any] = []
    target = _target(indicator, "target", target_params)
    baseline = _target(indicator, "baseline", target_params)
    status_params: list[Any] = []
    status = figure_status(indicator, "threshold", status_params)
    previous = "CAST(NULL AS NUMERIC)" if window is not None else _previous(indicator)
    covered = dialect.days_shared("g.period_start", "g.period_end", "g.cover_from", "g.cover_to")
    # `targeted` is materialised: the status reads its target three times, and each reading
    # would otherwise copy the target's subqueries, to be planned and run again
    sql = f"""
        INSERT INTO {connection.ops.quote_name(into)} ({INSERT_COLUMNS})
        {aggregation},
        spans AS (
            SELECT b.*, m.reporting_from, m.completeness_threshold AS threshold,
                   {dialect.later("b.period_start", "COALESCE(m.reporting_from, b.period_start)")}
                       AS cover_from,
                   {dialect.earlier("b.period_end", dialect.date_parameter())} AS cover_to,
                   {_period_start("b.period", "p")} AS previous_start
            FROM {source} b JOIN {MISSION} m ON m.id = b.mission_id
            LEFT JOIN {CAL} p ON p.day = {dialect.day_before("b.period_start")}
        ),
        covered AS (
            SELECT g.*, CASE WHEN g.cover_to >= g.cover_from THEN {covered} ELSE 0 END
                        AS covered_days
            FROM spans g
        ),
        targeted AS MATERIALIZED (
            SELECT g.*, {previous} AS previous_value,
                   {target} AS target, {baseline} AS baseline
            FROM covered g
            WINDOW w AS (PARTITION BY g.mission_id, g.area_id, g.period, g.disaggregation,
                         g.breakdown ORDER BY g.period_start)
        ),
        reported AS (SELECT g.*, {reports} FROM targeted g {joined})
        SELECT %s, mission_id, area_id, level, period, period_start, period_end,
               disaggregation, breakdown, value, numerator, denominator, provisional_value,
               official_count, provisional_count, previous_value, value - previous_value,
               baseline, target, {status},
               covered_days, expected_reports, received_reports, on_time_reports,
               validated_reports, source_changed_at, %s
        FROM reported"""
    all_params = [
        *params,
        scope.as_of,
        *target_params,
        indicator.pk,
        *status_params,
        computed_at,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        written: int = cursor.rowcount
        return written


def _period_start(period: str, calendar: str) -> str:
    """The start of the period of kind `period` containing the calendar row `calendar`."""
    return (
        f"CASE {period} WHEN 'week' THEN {calendar}.week_start "
        f"WHEN 'month' THEN {calendar}.month_start "
        f"WHEN 'quarter' THEN {calendar}.quarter_start ELSE {calendar}.year_start END"
    )


def _previous(indicator: Indicator) -> str:
    """A rebuilt bucket's previous value: the figure of the period before, if comparable.

    A flow compares whole periods, so the previous one must lie wholly within the mission's
    records (`reporting_from`); a stock compares states at the periods' ends, so its end must.
    An empty previous period within the records is 0 for a count (see counts_zero). Running
    periods then get the same span of the previous period (update_running_previous).
    """
    adjacent = f"LAG(g.period_end) OVER w = {dialect.day_before('g.period_start')}"
    if indicator.time_aggregation == TimeAggregation.FLOW:
        unknown = "g.reporting_from > g.previous_start"
    else:
        unknown = "g.reporting_from >= g.period_start"
    zero = "WHEN g.reporting_from IS NOT NULL THEN 0" if counts_zero(indicator) else ""
    return f"""CASE WHEN {unknown} THEN NULL WHEN {adjacent} THEN LAG(g.value) OVER w
                    {zero} END"""


def running_spans(
    as_of: datetime.date,
) -> list[tuple[str, datetime.date, datetime.date, datetime.date]]:
    """For each period kind running on `as_of` (not on its last day): the kind, its start,
    the previous period's start and the last day of the same span of it (as many days from
    its start as have gone by, within it)."""
    today = calendar_row(as_of)
    spans = []
    for kind in ("week", "month", "quarter", "year"):
        start, end = getattr(today, f"{kind}_start"), getattr(today, f"{kind}_end")
        if as_of >= end:
            continue
        before = calendar_row(shift(start, -1))
        previous_start = getattr(before, f"{kind}_start")
        last = min(shift(previous_start, (as_of - start).days), getattr(before, f"{kind}_end"))
        spans.append((kind, start, previous_start, last))
    return spans


def update_running_previous(
    indicator: Indicator,
    scope: FactScope,
    area_keys: frozenset[int] | None,
    reporting_from: datetime.date | None,
    *,
    table: str = ROLLUP,
    changed: tuple[datetime.date, datetime.date] | None = None,
) -> None:
    """Give a flow's running buckets (in `table`) the previous period's figure over the same
    span.

    A week two days old is compared with the first two days of the week before, the year to
    date with the same days of the year before: never a part with a whole. Where that span is
    not wholly within the mission's records there is no previous value; an empty one is 0 for
    a count. Stocks keep the state at the previous period's end, which is comparable as is.

    After a change between the dates `changed`, only the running buckets it can reach are
    set: those whose period or previous period it overlaps (a refresh rewrote them, or their
    span's facts changed).
    """
    assert scope.mission_id is not None
    if indicator.time_aggregation != TimeAggregation.FLOW:
        return
    spans = running_spans(scope.as_of)
    if changed is not None:
        spans = [
            (kind, start, previous_start, last)
            for kind, start, previous_start, last in spans
            if changed[1] >= previous_start
            and changed[0] <= getattr(calendar_row(start), f"{kind}_end")
        ]
    if not spans:
        return
    table = connection.ops.quote_name(table)
    buckets = " OR ".join(["(period = %s AND period_start = %s)"] * len(spans))
    where = f"indicator_id = %s AND mission_id = %s AND ({buckets})"
    params: list[Any] = [indicator.pk, scope.mission_id]
    params += [v for kind, start, _, _ in spans for v in (kind, start)]
    if area_keys is not None:
        keys = sorted(area_keys)
        where += f" AND area_key IN ({', '.join(['%s'] * len(keys))})"
        params.extend(keys)
    comparable = [s for s in spans if reporting_from is None or reporting_from <= s[2]]
    # an empty comparable span is 0 for a count; with no comparable span, nothing compares
    zero = reporting_from is not None and counts_zero(indicator)
    zeros = [kind for kind, *_ in comparable] if zero else []
    reset = "NULL"
    if zeros:
        reset = f"CASE WHEN period IN ({', '.join(['%s'] * len(zeros))}) THEN 0 END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET previous_value = {reset} WHERE {where}", [*zeros, *params]
        )
        if comparable:
            _set_span_previous(cursor, indicator, scope, area_keys, comparable, table)
        cursor.execute(f"UPDATE {table} SET change = value - previous_value WHERE {where}", params)


def _set_span_previous(
    cursor: Any,
    indicator: Indicator,
    scope: FactScope,
    area_keys: frozenset[int] | None,
    spans: list[tuple[str, datetime.date, datetime.date, datetime.date]],
    table: str,
) -> None:
    """Set the running buckets' previous values from the facts of the spans, in one pass."""
    window = Window(
        start=min(span[2] for span in spans),
        end=max(span[3] for span in spans),
        area_keys=area_keys,
        spans=tuple((kind, p_start, last) for kind, _, p_start, last in spans),
    )
    facts = FactScope(
        as_of=scope.as_of,
        now=scope.now,
        mission_id=scope.mission_id,
        lo=calendar_row(window.start).week_start,
        hi=window.end,
    )
    aggregation, params = _aggregation(indicator, facts, window)
    running = " ".join(["WHEN %s THEN %s"] * len(spans))
    mapping = [v for kind, start, _, _ in spans for v in (kind, start)]
    same_bucket = f"""COALESCE(g.area_id, 0) = {table}.area_key AND g.period = {table}.period
                      AND g.disaggregation = {table}.disaggregation
                      AND g.breakdown = {table}.breakdown
                      AND (CASE g.period {running} END) = {table}.period_start"""
    cursor.execute(
        f"""{aggregation}
        UPDATE {table} SET previous_value = (SELECT g.value FROM grouped g WHERE {same_bucket})
        WHERE indicator_id = %s AND mission_id = %s
          AND EXISTS (SELECT 1 FROM grouped g WHERE {same_bucket})""",
        [*params, *mapping, indicator.pk, scope.mission_id, *mapping],
    )


def delete_rollups(indicator: Indicator, mission_id: int, window: Window | None) -> int:
    """Delete the buckets an insert with the same window will write again."""
    queryset = Rollup.objects.filter(indicator=indicator, mission_id=mission_id)
    if window is not None:
        queryset = queryset.filter(period_end__gte=window.start, period_start__lte=window.end)
        if window.area_keys is not None:
            queryset = queryset.filter(area_key__in=window.area_keys)
    deleted, _ = queryset.delete()
    return deleted


def update_previous(indicator: Indicator, mission_id: int, window: Window) -> None:
    """Set previous value and change of the buckets in `window` and of the ones right after."""
    previous_start = f"""
        (SELECT CASE {ROLLUP}.period WHEN 'week' THEN p.week_start
                WHEN 'month' THEN p.month_start WHEN 'quarter' THEN p.quarter_start
                ELSE p.year_start END
         FROM {CAL} cur JOIN {CAL} p ON p.ordinal = cur.ordinal - 1
         WHERE cur.day = {ROLLUP}.period_start)"""
    # the buckets right after the window's last ones take its values as their previous ones
    last = calendar_row(window.end)
    following = [
        shift(end, 1) for end in (last.week_end, last.month_end, last.quarter_end, last.year_end)
    ]
    where = (
        "indicator_id = %s AND mission_id = %s AND ((period_end >= %s AND period_start <= %s) "
        "OR period_start IN (%s, %s, %s, %s))"
    )
    params: list[Any] = [indicator.pk, mission_id, window.start, window.end, *following]
    if window.area_keys is not None:
        keys = sorted(window.area_keys)
        where += f" AND area_key IN ({', '.join(['%s'] * len(keys))})"
        params.extend(keys)
    # comparable only within the mission's records (see _previous); then an empty previous
    # period is 0 for a count
    records_from = f"(SELECT m.reporting_from FROM {MISSION} m WHERE m.id = {ROLLUP}.mission_id)"
    if indicator.time_aggregation == TimeAggregation.FLOW:
        unknown = f"{records_from} > {previous_start}"
    else:
        unknown = f"{records_from} >= {ROLLUP}.period_start"
    fallback = (
        f"CASE WHEN {records_from} IS NOT NULL THEN 0 END" if counts_zero(indicator) else "NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {ROLLUP} SET previous_value = CASE WHEN {unknown} THEN NULL ELSE COALESCE((
                    SELECT p.value FROM {ROLLUP} p
                    WHERE p.indicator_id = {ROLLUP}.indicator_id
                      AND p.mission_id = {ROLLUP}.mission_id
                      AND p.area_key = {ROLLUP}.area_key AND p.period = {ROLLUP}.period
                      AND p.disaggregation = {ROLLUP}.disaggregation
                      AND p.breakdown = {ROLLUP}.breakdown
                      AND p.period_start = {previous_start}), {fallback}) END
                WHERE {where}""",
            params,
        )
        cursor.execute(f"UPDATE {ROLLUP} SET change = value - previous_value WHERE {where}", params)
