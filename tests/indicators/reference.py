"""A plain, obviously correct computation of rollups, to check the SQL engine against.

It reads records one by one through the ORM and aggregates in Python, following the rules the
engine documents: where a fact counts (its area and every area above it, the whole mission),
in which periods (by the middle day of its period, for kinds at least as long as the period),
in which disaggregations and breakdowns, and how each method combines the values.
"""

from __future__ import annotations

import datetime
import statistics
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from alerts.models import Alert
from incidents.choices import CASUALTY_GROUPS
from incidents.models import Incident
from indicators.choices import (
    CombinationMethod,
    Derivation,
    ObservationState,
    TimeAggregation,
    Unit,
)
from indicators.models import Indicator, IndicatorTarget, Observation
from missions.models import Area, Mission

KINDS = ("week", "month", "quarter", "year")
HARMS = {
    Derivation.CIVILIANS_KILLED: "killed",
    Derivation.CIVILIANS_INJURED: "injured",
    Derivation.CIVILIANS_ABDUCTED: "abducted",
    Derivation.SV_SURVIVORS: "sv",
}


@dataclass
class Fact:
    mission_id: int
    area: Area | None
    day: datetime.date
    kinds: tuple[str, ...]
    disagg: str
    value: Decimal | None
    official: bool
    source_id: int
    tags: tuple[str, ...] = ()
    num: Decimal | None = None
    den: Decimal | None = None


@dataclass
class Bucket:
    facts: list[Fact] = field(default_factory=list)


def period(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of `kind` that contains `day`."""
    if kind == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if kind == "year":
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    months = 1 if kind == "month" else 3
    first_month = day.month if kind == "month" else 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    nxt = datetime.date(
        start.year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1
    )
    return start, nxt - datetime.timedelta(days=1)


def kinds_for(start: datetime.date, end: datetime.date) -> tuple[str, ...]:
    length = (end - start).days
    if length < 7:
        return KINDS
    if length < 31:
        return KINDS[1:]
    if length < 92:
        return KINDS[2:]
    return KINDS[3:]


def places(area: Area | None) -> list[tuple[int, int]]:
    """(level, area key) of every rollup place a fact at `area` counts in."""
    result = [(0, 0)]
    if area is None:
        return result
    chain = {area.kind: area.pk}
    if area.aor_id:
        chain["aor"] = area.aor_id
    if area.sector_id:
        chain["sector"] = area.sector_id
    for level, kind in ((1, "sector"), (2, "aor"), (3, "locality")):
        if kind in chain:
            result.append((level, chain[kind]))
    return result


def observation_facts(indicator: Indicator) -> list[Fact]:
    facts = []
    counted = (ObservationState.SUBMITTED, ObservationState.VALIDATED)
    for o in Observation.objects.filter(indicator=indicator, state__in=counted):
        middle = datetime.date.fromordinal(
            (o.period_start.toordinal() + o.period_end.toordinal()) // 2
        )
        for v in o.values.all():
            facts.append(
                Fact(
                    o.mission_id,
                    o.area,
                    middle,
                    kinds_for(o.period_start, o.period_end),
                    v.disaggregation,
                    v.value,
                    o.state == ObservationState.VALIDATED,
                    o.pk,
                    num=v.numerator,
                    den=v.denominator,
                )
            )
    return facts


def incident_facts(indicator: Indicator) -> list[Fact]:
    facts = []
    for i in Incident.objects.exclude(verification_status="discredited"):
        tags = (f"type:{i.incident_type}", f"perpetrator:{i.perpetrator_category}")
        official = i.verification_status == "verified"
        if indicator.derivation in HARMS:
            for group in CASUALTY_GROUPS:
                value = Decimal(getattr(i, f"{HARMS[indicator.derivation]}_{group}"))
                if not value:
                    continue  # nobody harmed in this group adds nothing to the sum
                facts.append(
                    Fact(
                        i.mission_id,
                        i.area,
                        i.occurred_on,
                        KINDS,
                        group,
                        value,
                        official,
                        i.pk,
                        tags,
                    )
                )
        elif indicator.derivation == Derivation.INCIDENTS:
            facts.append(
                Fact(
                    i.mission_id,
                    i.area,
                    i.occurred_on,
                    KINDS,
                    "total",
                    Decimal(1),
                    official,
                    i.pk,
                    tags,
                )
            )
    return facts


def alert_facts(indicator: Indicator, now: datetime.datetime) -> list[Fact]:
    """Facts of the alert indicators, as computed at `now`.

    An alert with no arrival is pending while at most its standard's hours have gone by since
    it was received (an arrival then would still be in time): it counts neither as answered
    nor as missed. Once more have gone by, it is missed.
    """
    facts = []
    for a in Alert.objects.select_related("mission"):
        tags = (f"severity:{a.severity}", f"source:{a.source}")
        # its local day, worked out here rather than read from the stored column
        day = a.received_at.astimezone(zoneinfo.ZoneInfo(a.mission.time_zone)).date()
        hours = None
        if a.arrived_at is not None:
            hours = Decimal((a.arrived_at - a.received_at).total_seconds()) / 3600
        if indicator.derivation == Derivation.ALERTS_WITHIN_STANDARD:
            if a.outcome == "false_alarm":
                continue
            standard = datetime.timedelta(hours=a.mission.alert_response_standard_hours)
            if a.arrived_at is None and now - a.received_at <= standard:
                continue  # still pending: neither answered nor missed yet
            within = hours is not None and hours <= a.mission.alert_response_standard_hours
            facts.append(
                Fact(
                    a.mission_id,
                    a.area,
                    day,
                    KINDS,
                    "total",
                    None,
                    True,
                    a.pk,
                    tags,
                    num=Decimal(int(within)),
                    den=Decimal(1),
                )
            )
        elif indicator.derivation == Derivation.ALERT_MEDIAN_RESPONSE and hours is not None:
            facts.append(Fact(a.mission_id, a.area, day, KINDS, "total", hours, True, a.pk, tags))
    return facts


def _combine(indicator: Indicator, facts: list[Fact]) -> tuple:
    """(value, numerator, denominator) of one bucket's facts."""
    if not facts:
        return None, None, None
    method = indicator.method
    if method in (CombinationMethod.RATIO, CombinationMethod.SHARE_WITHIN_STANDARD):
        num, den = sum(f.num for f in facts), sum(f.den for f in facts)
        scale = 100 if indicator.unit == Unit.PERCENTAGE else 1
        return (num * scale / den if den else None), num, den
    if method == CombinationMethod.MEAN:
        weights = [(f.value, f.den if f.den is not None else Decimal(1)) for f in facts]
        total = sum(w for _, w in weights)
        return (sum(v * w for v, w in weights) / total if total else None), None, None
    values = [f.value for f in facts]
    combine = {
        CombinationMethod.SUM: sum,
        CombinationMethod.MIN: min,
        CombinationMethod.MAX: max,
        CombinationMethod.MEDIAN: lambda v: Decimal(statistics.median(float(x) for x in v)),
    }[method]
    return combine(values), None, None


def _last_readings(facts: list[Fact]) -> list[Fact]:
    """Each place's newest reading among `facts`, whatever its state."""
    by_place: dict[int, list[Fact]] = defaultdict(list)
    for f in facts:
        by_place[f.area.pk if f.area else 0].append(f)
    newest = []
    for place_facts in by_place.values():
        last = max((f.day, f.source_id) for f in place_facts)
        newest += [f for f in place_facts if (f.day, f.source_id) == last]
    return newest


def reference_rollups(
    indicator: Indicator, now: datetime.datetime | None = None
) -> dict[tuple, dict]:
    """Every rollup of `indicator`, keyed like the engine's unique constraint (less the
    indicator): (mission, area key, period, period start, disaggregation, breakdown), as
    computed at `now` (the current time unless given)."""
    now = now or timezone.now()
    if indicator.derivation in HARMS or indicator.derivation == Derivation.INCIDENTS:
        facts = incident_facts(indicator)
    elif indicator.derivation:
        facts = alert_facts(indicator, now)
    else:
        facts = observation_facts(indicator)
    buckets: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        disaggs = {fact.disagg, "total"}
        for level, area_key in places(fact.area):
            breakdowns = ("", *fact.tags) if level <= 1 else ("",)  # mission and sectors only
            for kind in fact.kinds:
                start, _end = period(kind, fact.day)
                for disagg in disaggs:
                    for breakdown in breakdowns:
                        key = (fact.mission_id, area_key, kind, start, disagg, breakdown)
                        buckets[key].append(fact)
    stock = indicator.time_aggregation == TimeAggregation.STOCK
    flow_sum = not stock and indicator.method == CombinationMethod.SUM
    zero_counts = flow_sum and bool(indicator.derivation)
    if zero_counts:  # a derived count is 0 where nothing was recorded, once records are all in
        for key in _zero_buckets(now):
            buckets.setdefault(key, [])
    result = {}
    for key, bucket_facts in buckets.items():
        if stock:  # a stock takes each place's last reading; a pending one is not official
            bucket_facts = _last_readings(bucket_facts)
        official = [f for f in bucket_facts if f.official]
        value, num, den = _combine(indicator, official)
        if flow_sum and value is None:
            value = Decimal(0)  # only unverified or unvalidated records: none verified yet
        provisional, _, _ = _combine(indicator, bucket_facts)
        if flow_sum and provisional is None:
            provisional = Decimal(0)  # an empty bucket kept as a zero
        result[key] = {
            "value": value,
            "numerator": num,
            "denominator": den,
            "provisional_value": provisional,
            "official_count": len({f.source_id for f in official}),
            "provisional_count": len({f.source_id for f in bucket_facts}),
        }
    missions = {m.pk: m for m in Mission.objects.all()}
    reports = report_counts(indicator, now) if not indicator.derivation else None
    for key, row in result.items():
        for name in REPORT_COUNTS:
            if reports is None:
                row[f"{name}_reports"] = None
            else:
                row[f"{name}_reports"] = reports.get(key[:4], {}).get(name, 0)
        mission, area_key, kind, start, disagg, breakdown = key
        row["previous_value"] = _previous(
            indicator, missions[mission], key, buckets, result, stock, zero_counts, now
        )
        row["covered_days"] = _covered_days(missions[mission], kind, start, now)
        row["target"] = _target(indicator, missions[mission], key, now)
        row["status"] = _status(indicator, missions[mission], row)
    return result


INTENSIVE = {"mean", "min", "max", "median", "ratio", "share_within_standard"}


def _target(
    indicator: Indicator, mission: Mission, key: tuple, now: datetime.datetime
) -> Decimal | None:
    """The headline's target: for a summed flow each covered day's share of the target in
    force that day (the latest-starting one covering it); otherwise the target covering most
    of the bucket's days (the later-starting on a tie). Amounts are compared for the whole
    mission only, levels (shares, means) everywhere; none unless targets cover every day."""
    _, area_key, kind, start, disagg, breakdown = key
    intensive = indicator.method in INTENSIVE
    if disagg != "total" or breakdown != "" or (not intensive and area_key != 0):
        return None
    _, end = period(kind, start)
    targets = list(IndicatorTarget.objects.filter(indicator=indicator, mission=mission))
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    in_force = {}
    for day in days:
        covering = [t for t in targets if t.period_start <= day <= t.period_end]
        if not covering:
            return None
        in_force[day] = max(covering, key=lambda t: t.period_start)
    flow_sum = (
        indicator.time_aggregation == TimeAggregation.FLOW
        and indicator.method == CombinationMethod.SUM
    )
    if flow_sum:
        first = max(start, mission.reporting_from or start)
        last = min(end, _as_of(mission, now))
        covered = [d for d in days if first <= d <= last]
        if not covered:
            return None
        total = sum(
            in_force[d].target / ((in_force[d].period_end - in_force[d].period_start).days + 1)
            for d in covered
        )
        return round(Decimal(total), 4)

    def shared(t: IndicatorTarget) -> tuple[int, datetime.date]:
        return ((min(t.period_end, end) - max(t.period_start, start)).days + 1, t.period_start)

    overlapping = [t for t in targets if t.period_start <= end and t.period_end >= start]
    return max(overlapping, key=shared).target


def _status(indicator: Indicator, mission: Mission, row: dict) -> str:
    """Incomplete below the mission's completeness threshold, else by polarity and margin."""
    expected, validated = row.get("expected_reports"), row.get("validated_reports")
    if expected and validated * 100 < expected * mission.completeness_threshold:
        return "incomplete"
    value, target = row["value"], row["target"]
    if indicator.polarity == "neutral" or value is None or target is None:
        return "no_target"
    margin = Decimal(indicator.at_risk_margin) / 100
    if indicator.polarity == "higher":
        if value >= target:
            return "on_track"
        return "at_risk" if value >= target * (1 - margin) else "off_track"
    if value <= target:
        return "on_track"
    return "at_risk" if value <= target * (1 + margin) else "off_track"


def _previous(
    indicator: Indicator,
    mission: Mission,
    key: tuple,
    buckets: dict[tuple, list[Fact]],
    result: dict[tuple, dict],
    stock: bool,
    zero_counts: bool,
    now: datetime.datetime,
) -> Decimal | None:
    """The figure a bucket's change is measured from, or None where nothing compares.

    A flow compares with a previous period wholly within the mission's records, a running
    period with the same number of days from the start of the previous one; a stock with the
    state at the previous period's end, if the records had begun by then. An empty previous
    period within the records is 0 for a count.
    """
    mission_id, area_key, kind, start, disagg, breakdown = key
    previous_start, previous_end = period(kind, start - datetime.timedelta(days=1))
    since = mission.reporting_from
    if since is not None and (since >= start if stock else since > previous_start):
        return None
    empty = Decimal(0) if zero_counts and since is not None else None
    previous_key = (mission_id, area_key, kind, previous_start, disagg, breakdown)
    today = _as_of(mission, now)
    if not stock and start <= today < period(kind, start)[1]:  # running: the same span
        last = min(previous_start + (today - start), previous_end)
        span = [f for f in buckets.get(previous_key, []) if f.day <= last]
        if not span:
            return empty
        value, _, _ = _combine(indicator, [f for f in span if f.official])
        if value is None and indicator.method == CombinationMethod.SUM:
            return Decimal(0)
        return value
    previous = result.get(previous_key)
    return previous["value"] if previous else empty


REPORT_COUNTS = ("expected", "received", "on_time", "validated")
FREQUENCY_KIND = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "annual": "year"}


def report_counts(indicator: Indicator, now: datetime.datetime) -> dict[tuple, dict[str, int]]:
    """Reports expected, received, on time and validated per (mission, area key, kind, start).

    Each place that submitted a figure (now submitted, validated or returned) owes one report
    per period of its frequency from its first such one until the last period ended by the
    mission's today; a report is on time when submitted (its latest submission) by the
    period's end plus the mission's grace days, in the mission's time zone.
    """
    kind = FREQUENCY_KIND[indicator.frequency]
    observations = list(Observation.objects.filter(indicator=indicator).select_related("mission"))
    by_place = {(o.mission_id, o.area_id, o.period_start): o for o in observations}
    first: dict[tuple, datetime.date] = {}
    for o in observations:
        if o.state == "draft":
            continue  # a place reports from its first figure submitted
        place = (o.mission_id, o.area_id)
        first[place] = min(first.get(place, o.period_start), o.period_start)
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(REPORT_COUNTS, 0))
    areas = {a.pk: a for a in Area.objects.all()}
    for (mission_id, area_id), since in first.items():
        mission = Mission.objects.get(pk=mission_id)
        zone = zoneinfo.ZoneInfo(mission.time_zone)
        today = _as_of(mission, now)
        start, end = period(kind, since)
        while end <= today:
            o = by_place.get((mission_id, area_id, start))
            received = o is not None and o.state in ("submitted", "validated")
            deadline = end + datetime.timedelta(days=mission.report_grace_days)
            on_time = (
                received
                and o.submitted_at is not None
                and o.submitted_at.astimezone(zone).date() <= deadline
            )
            flags = {
                "expected": 1,
                "received": int(received),
                "on_time": int(on_time),
                "validated": int(o is not None and o.state == "validated"),
            }
            middle = datetime.date.fromordinal((start.toordinal() + end.toordinal()) // 2)
            area = areas.get(area_id) if area_id else None
            for _level, area_key in places(area):
                for bucket_kind in KINDS[KINDS.index(kind) :]:
                    bucket = (mission_id, area_key, bucket_kind, period(bucket_kind, middle)[0])
                    for name, flag in flags.items():
                        counts[bucket][name] += flag
            start, end = period(kind, end + datetime.timedelta(days=1))
    return counts


def _as_of(mission: Mission, now: datetime.datetime) -> datetime.date:
    return now.astimezone(zoneinfo.ZoneInfo(mission.time_zone)).date()


def _covered_days(mission: Mission, kind: str, start: datetime.date, now: datetime.datetime) -> int:
    """Days of the period gone by at `now` and on or after the mission's `reporting_from`."""
    _, end = period(kind, start)
    first = max(start, mission.reporting_from or start)
    last = min(end, _as_of(mission, now))
    return max(0, (last - first).days + 1)


def _zero_buckets(now: datetime.datetime) -> list[tuple]:
    """The headline buckets of every mission and sector, each period from the mission's
    `reporting_from` to its today."""
    keys = []
    for mission in Mission.objects.exclude(reporting_from=None):
        today = _as_of(mission, now)
        sectors = Area.objects.filter(mission=mission, kind="sector").values_list("pk", flat=True)
        for kind in KINDS:
            start, _ = period(kind, mission.reporting_from)
            while start <= today:
                for area_key in (0, *sectors):
                    keys.append((mission.pk, area_key, kind, start, "total", ""))
                start = period(kind, period(kind, start)[1] + datetime.timedelta(days=1))[0]
    return keys
