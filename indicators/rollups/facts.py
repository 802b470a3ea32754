"""Facts: the rows each kind of indicator is computed from, as one SQL SELECT per indicator.

Every fact SELECT returns the same columns (FACT_COLUMNS):

- mission_id, area_id: where it happened (area NULL: the whole mission);
- day: the date it counts on (an observation counts on the middle day of its period);
- min_kind, max_kind: the period kinds it feeds (1 week … 4 year): a monthly observation feeds
  months, quarters and years, never weeks; a threat's state at a period's end feeds that kind;
- disagg: its sex-age group, or 'total';
- tag1, tag2: the breakdowns it also counts in ("type:abduction"), or NULL;
- headline: 1 if it counts in the headline (empty breakdown) figure;
- value, num, den: its figure, or the numerator and denominator of a ratio;
- official: 1 if it counts in official figures (validated, verified);
- changed_at: when its record last changed; source_id: its record, for counting records.

The engine places facts in every area level, period and breakdown, and aggregates them.
Additive facts with nothing to add (no one killed among girls, no one displaced) are left out,
so a missing rollup row of a summed figure means zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from activities.models import ProtectionActivity
from alerts.models import Alert
from commitments.models import CommitmentImplementation, KeyElement, Phase, Tier
from incidents.choices import CASUALTY_GROUPS
from incidents.models import GraveViolation, Incident
from missions.models import Mission
from threats.models import Threat, ThreatAssessment

from ..choices import Derivation, ObservationState
from ..models import CalendarDay, Indicator, Observation, ObservationValue
from . import dialect

FACT_COLUMNS = (
    "mission_id, area_id, day, min_kind, max_kind, disagg, tag1, tag2, headline, "
    "value, num, den, official, changed_at, source_id"
)
SexAgeColumns = ("women", "men", "girls", "boys")

# Derivations counted as "how many records are in this state at the period's end".
STOCK_DERIVATIONS = frozenset({Derivation.HIGH_RISK_THREATS, Derivation.A4P_ELEMENTS_ON_TRACK})

HARM_PREFIX: dict[str, str] = {
    Derivation.CIVILIANS_KILLED: "killed",
    Derivation.CIVILIANS_INJURED: "injured",
    Derivation.CIVILIANS_ABDUCTED: "abducted",
    Derivation.SV_SURVIVORS: "sv",
}


@dataclass(frozen=True)
class FactScope:
    """Which facts to read: one mission or all, days in [lo, hi] or all, states as of a day.

    `now` is the instant the figures are computed at: an alert awaiting a response is judged
    against it (pending or missed), so the service passes the same instant it stamps on the
    rollups as `computed_at`.
    """

    as_of: datetime.date
    mission_id: int | None = None
    lo: datetime.date | None = None
    hi: datetime.date | None = None
    now: datetime.datetime = field(default_factory=timezone.now)


def t(model: type[Model]) -> str:
    return model._meta.db_table


def _mission_filter(column: str, scope: FactScope, params: list[Any]) -> str:
    if scope.mission_id is None:
        return ""
    params.append(scope.mission_id)
    return f" AND {column} = %s"


def _day_filter(column: str, scope: FactScope, params: list[Any]) -> str:
    if scope.lo is None or scope.hi is None:
        return ""
    params.extend([scope.lo, scope.hi])
    return f" AND {column} BETWEEN %s AND %s"


def observations(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """Submitted and validated observation values; only validated ones are official."""
    params: list[Any] = [indicator.pk, ObservationState.VALIDATED, ObservationState.SUBMITTED]
    length = dialect.days_between("o.period_start", "o.period_end")
    sql = f"""
        SELECT o.mission_id, o.area_id, {dialect.midpoint("o.period_start", "o.period_end")},
               CASE WHEN {length} < 7 THEN 1 WHEN {length} < 31 THEN 2
                    WHEN {length} < 92 THEN 3 ELSE 4 END,
               4, v.disaggregation, NULL, NULL, 1,
               CAST(v.value AS NUMERIC), CAST(v.numerator AS NUMERIC),
               CAST(v.denominator AS NUMERIC),
               CASE WHEN o.state = 'validated' THEN 1 ELSE 0 END, o.updated_at, o.id
        FROM {t(ObservationValue)} v
        JOIN {t(Observation)} o ON o.id = v.observation_id
        WHERE o.indicator_id = %s AND o.state IN (%s, %s)"""
    sql += _mission_filter("o.mission_id", scope, params)
    if scope.lo is not None:
        # a superset (whole periods touching the range); the engine keeps exact days
        sql += " AND o.period_end >= %s AND o.period_start <= %s"
        params.extend([scope.lo, scope.hi])
    return sql, params


def _incident_rows(
    value: str,
    disagg: str,
    scope: FactScope,
    params: list[Any],
    *,
    tag1: str = "'type:' || i.incident_type",
    extra_join: str = "",
    extra_where: str = "",
) -> str:
    """Incidents except discredited ones, on the day they occurred, by type and perpetrator
    category; only verified ones count in official figures."""
    sql = f"""
        SELECT i.mission_id, i.area_id, i.occurred_on, 1, 4, '{disagg}', {tag1},
               'perpetrator:' || i.perpetrator_category, 1,
               CAST({value} AS NUMERIC), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC),
               CASE WHEN i.verification_status = 'verified' THEN 1 ELSE 0 END,
               i.updated_at, i.id
        FROM {t(Incident)} i {extra_join}
        WHERE i.verification_status <> 'discredited' {extra_where}"""
    sql += _mission_filter("i.mission_id", scope, params)
    sql += _day_filter("i.occurred_on", scope, params)
    return sql


def harm(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """Civilians harmed in incidents, one fact per sex-age group (incl. unknown)."""
    prefix = HARM_PREFIX[indicator.derivation]
    params: list[Any] = []
    # a group nobody in it was harmed adds nothing to a sum: no fact, no empty rollup row
    parts = [
        _incident_rows(
            f"i.{prefix}_{group}", group, scope, params, extra_where=f"AND i.{prefix}_{group} > 0"
        )
        for group in CASUALTY_GROUPS
    ]
    return " UNION ALL ".join(parts), params


def incidents(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    params: list[Any] = []
    return _incident_rows("1", "total", scope, params), params


def incidents_host_state(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    params: list[Any] = []
    sql = _incident_rows("1", "total", scope, params, extra_where="AND i.is_host_state_perpetrator")
    return sql, params


def people_displaced(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    params: list[Any] = []
    sql = _incident_rows(
        "i.people_displaced", "total", scope, params, extra_where="AND i.people_displaced > 0"
    )
    return sql, params


def grave_violations(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """One fact per violation recorded in an incident."""
    through = Incident.grave_violations.through
    params: list[Any] = []
    sql = _incident_rows(
        "1",
        "total",
        scope,
        params,
        tag1="'violation:' || gv.code",
        extra_join=f"JOIN {t(through)} igv ON igv.incident_id = i.id "
        f"JOIN {t(GraveViolation)} gv ON gv.id = igv.graveviolation_id",
    )
    return sql, params


def _alert_rows(
    value: str, num: str, den: str, scope: FactScope, params: list[Any], extra_where: str = ""
) -> str:
    """Alerts on the day they were received in the mission's time zone, by severity and
    source; every alert counts in official figures."""
    sql = f"""
        SELECT al.mission_id, al.area_id, al.received_on, 1, 4, 'total',
               'severity:' || al.severity, 'source:' || al.source, 1,
               CAST({value} AS NUMERIC), CAST({num} AS NUMERIC), CAST({den} AS NUMERIC), 1,
               al.updated_at, al.id
        FROM {t(Alert)} al JOIN {t(Mission)} m ON m.id = al.mission_id
        WHERE 1 = 1 {extra_where}"""
    sql += _mission_filter("al.mission_id", scope, params)
    sql += _day_filter("al.received_on", scope, params)
    return sql


def alerts_received(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    params: list[Any] = []
    return _alert_rows("1", "NULL", "NULL", scope, params), params


def alerts_within_standard(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """Share the alerts answered within the standard among those answered or missed.

    False alarms count nowhere. An alert answered in time counts in the numerator and the
    denominator; one answered late, or still unanswered once its standard has passed, in the
    denominator only. An alert still unanswered while its standard runs (received at most the
    standard's hours before `scope.now`) is neither answered nor missed yet and is left out of
    both, as an arrival at exactly the standard still counts in time.

    Such an alert turns into a missed one without any change to its record, so no refresh is
    enqueued when it does: the figure catches up at the next computation of its buckets, at
    the latest the nightly rebuild (or sooner, when another record in the same buckets
    changes). Until then it stays out of both parts rather than counting as missed early.
    """
    hours = dialect.hours_between("al.received_at", "al.arrived_at")
    within = (
        f"CASE WHEN al.arrived_at IS NOT NULL AND {hours} <= m.alert_response_standard_hours "
        "THEN 1 ELSE 0 END"
    )
    waited = dialect.hours_between("al.received_at", "%s")
    params: list[Any] = [scope.now]
    where = (
        "AND al.outcome <> 'false_alarm' "
        f"AND (al.arrived_at IS NOT NULL OR {waited} > m.alert_response_standard_hours)"
    )
    sql = _alert_rows("NULL", within, "1", scope, params, where)
    return sql, params


def alert_response_hours(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """Hours from receipt to arrival, for alerts that got a response."""
    hours = dialect.hours_between("al.received_at", "al.arrived_at")
    params: list[Any] = []
    sql = _alert_rows(hours, "NULL", "NULL", scope, params, "AND al.arrived_at IS NOT NULL")
    return sql, params


def _activity_rows(
    value: str, disagg: str, scope: FactScope, params: list[Any], extra_where: str = ""
) -> str:
    """Protection activities on the day they started, by tier and phase; every activity
    counts in official figures."""
    sql = f"""
        SELECT a.mission_id, a.area_id, a.started_on, 1, 4, '{disagg}',
               'tier:' || CAST(tr.number AS TEXT), 'phase:' || CAST(ph.number AS TEXT), 1,
               CAST({value} AS NUMERIC), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC), 1,
               a.updated_at, a.id
        FROM {t(ProtectionActivity)} a
        JOIN {t(Tier)} tr ON tr.id = a.tier_id
        JOIN {t(Phase)} ph ON ph.id = a.phase_id
        WHERE 1 = 1 {extra_where}"""
    sql += _mission_filter("a.mission_id", scope, params)
    sql += _day_filter("a.started_on", scope, params)
    return sql


def activities(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    params: list[Any] = []
    return _activity_rows("1", "total", scope, params), params


def people_reached(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    params: list[Any] = []
    parts = [
        _activity_rows(f"a.{group}", group, scope, params, f"AND a.{group} > 0")
        for group in SexAgeColumns
    ]
    return " UNION ALL ".join(parts), params


def _period_ends(scope: FactScope, params: list[Any], valid_from: str, valid_to: str) -> str:
    """Join each record to the days on which its state is read: every period's last day up
    to `as_of`, and `as_of` itself for the periods still running."""
    params.append(scope.as_of)
    params.append(scope.as_of)
    return f"""
        CROSS JOIN (SELECT 1 AS kind UNION ALL SELECT 2 UNION ALL SELECT 3
                    UNION ALL SELECT 4) k
        JOIN {t(CalendarDay)} c ON c.day <= %s
             AND (c.day = %s OR c.day = CASE k.kind WHEN 1 THEN c.week_end
                  WHEN 2 THEN c.month_end WHEN 3 THEN c.quarter_end ELSE c.year_end END)
             AND c.day >= {valid_from}
             AND ({valid_to} IS NULL OR {valid_to} > c.day)"""


def high_risk_threats(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """Open threats at each period's end, by risk level; the headline counts high and above.

    A threat counts in each area it affects; one without areas counts for the whole mission.
    Its level is that of the assessment in force on the period's last day (its risk history),
    not today's: a re-scoring changes the figures from the day it took effect on. A threat
    with no assessment in force that day does not count; every writer gives a threat its
    first assessment from the day it was identified, so none should be missing.
    """
    through = Threat.areas.through
    level = (
        "CASE WHEN a.risk_score >= m.risk_very_high_from THEN 'very_high' "
        "WHEN a.risk_score >= m.risk_high_from THEN 'high' "
        "WHEN a.risk_score >= m.risk_medium_from THEN 'medium' ELSE 'low' END"
    )
    params: list[Any] = []
    joins = _period_ends(scope, params, "th.identified_on", "th.closed_on")
    sql = f"""
        SELECT th.mission_id, ta.area_id, c.day, k.kind, k.kind, 'total', 'risk:' || {level},
               NULL, CASE WHEN a.risk_score >= m.risk_high_from THEN 1 ELSE 0 END,
               CAST(1 AS NUMERIC), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC), 1,
               th.updated_at, th.id
        FROM {t(Threat)} th
        JOIN {t(Mission)} m ON m.id = th.mission_id
        LEFT JOIN {t(through)} ta ON ta.threat_id = th.id
        {joins}
        JOIN {t(ThreatAssessment)} a ON a.threat_id = th.id AND a.valid_from <= c.day
             AND (a.valid_to IS NULL OR a.valid_to > c.day)
        WHERE 1 = 1"""
    sql += _mission_filter("th.mission_id", scope, params)
    sql += _day_filter("c.day", scope, params)
    return sql, params


def a4p_elements_on_track(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """Paragraph-10 elements a mission has on track or achieved, from their last review on
    (or, never reviewed, from the day they were recorded, in the mission's time zone)."""
    params: list[Any] = []
    since = f"COALESCE(ci.last_reviewed_on, {dialect.local_date('ci.created_at', 'm.time_zone')})"
    joins = _period_ends(scope, params, since, "NULL")
    sql = f"""
        SELECT ci.mission_id, CAST(NULL AS BIGINT), c.day, k.kind, k.kind, 'total',
               'element:' || ke.code, NULL, 1,
               CAST(1 AS NUMERIC), CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC), 1,
               ci.updated_at, ci.id
        FROM {t(CommitmentImplementation)} ci
        JOIN {t(Mission)} m ON m.id = ci.mission_id
        JOIN {t(KeyElement)} ke ON ke.id = ci.key_element_id
        {joins}
        WHERE ci.status IN ('on_track', 'achieved')"""
    sql += _mission_filter("ci.mission_id", scope, params)
    sql += _day_filter("c.day", scope, params)
    return sql, params


FactBuilder = Callable[[Indicator, FactScope], tuple[str, list[Any]]]

BUILDERS: dict[str, FactBuilder] = {
    Derivation.CIVILIANS_KILLED: harm,
    Derivation.CIVILIANS_INJURED: harm,
    Derivation.CIVILIANS_ABDUCTED: harm,
    Derivation.SV_SURVIVORS: harm,
    Derivation.INCIDENTS: incidents,
    Derivation.INCIDENTS_HOST_STATE: incidents_host_state,
    Derivation.GRAVE_VIOLATIONS: grave_violations,
    Derivation.PEOPLE_DISPLACED: people_displaced,
    Derivation.ALERTS_RECEIVED: alerts_received,
    Derivation.ALERTS_WITHIN_STANDARD: alerts_within_standard,
    Derivation.ALERT_MEDIAN_RESPONSE: alert_response_hours,
    Derivation.HIGH_RISK_THREATS: high_risk_threats,
    Derivation.ACTIVITIES: activities,
    Derivation.PEOPLE_REACHED: people_reached,
    Derivation.A4P_ELEMENTS_ON_TRACK: a4p_elements_on_track,
}


def fact_sql(indicator: Indicator, scope: FactScope) -> tuple[str, list[Any]]:
    """The fact SELECT of one indicator: its observations, or the records it derives from."""
    builder = BUILDERS[indicator.derivation] if indicator.derivation else observations
    return builder(indicator, scope)
