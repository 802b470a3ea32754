"""Early-warning alerts and the mission's answer: acknowledged, deployed, arrived, outcome.

Response times are drawn around the mission's standard, so that most alerts are answered within
it and some are not; the most recent alerts may still be waiting for a response.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from alerts.choices import AlertOutcome, AlertSource, Severity
from alerts.models import Alert
from indicators.choices import Derivation

from .context import Choice, MissionContext, chunked, insert

SOURCES = Choice(
    {
        AlertSource.COMMUNITY_ALERT_NETWORK: 35,
        AlertSource.LOCAL_PROTECTION_COMMITTEE: 15,
        AlertSource.COMMUNITY_LIAISON: 20,
        AlertSource.PATROL: 12,
        AlertSource.PARTNER: 8,
        AlertSource.COMMUNITY_MEMBER: 8,
        AlertSource.OTHER: 2,
    }
)
SEVERITIES = Choice(
    {Severity.LOW: 20, Severity.MEDIUM: 40, Severity.HIGH: 30, Severity.CRITICAL: 10}
)
# The share of alerts answered within the standard rises with severity.
WITHIN_STANDARD: dict[str, float] = {
    Severity.LOW: 0.6,
    Severity.MEDIUM: 0.7,
    Severity.HIGH: 0.78,
    Severity.CRITICAL: 0.85,
}
OUTCOMES = Choice(
    {
        AlertOutcome.VIOLENCE_AVERTED: 40,
        AlertOutcome.HARM_MITIGATED: 30,
        AlertOutcome.VIOLENCE_OCCURRED: 15,
        AlertOutcome.FALSE_ALARM: 15,
    }
)
TIERS = Choice({2: 65, 1: 30, 3: 5})
# Alerts come in mostly in the evening and at night.
HOURS = Choice({hour: 3 if hour >= 17 or hour < 5 else 1 for hour in range(24)})
SUMMARIES = (
    "Armed men sighted near {place}; villagers fear an attack tonight.",
    "Shots heard at {place}; people fleeing toward the nearest site.",
    "Reports of a planned reprisal against {place}.",
    "Armed cattle keepers moving toward {place}.",
    "Roadblock on the road to {place}; travellers robbed.",
    "Threatening messages sent to community leaders in {place}.",
)
RESPONSES = {
    1: "Calls to local authorities and community leaders; message passed to the group through "
    "the community liaison assistant.",
    2: "Quick reaction force sent from the {base} base.",
    3: "Referred to the justice and corrections team and to protection partners.",
}
NO_RESPONSE_NOTES = "Road impassable after the rains; partners informed by phone."
PENDING_WINDOW_HOURS = 72
RESPONSE_FORCED = ("pending", "within", "late")  # the first alerts cover each kind of answer


def create_alerts(ctx: MissionContext) -> None:
    total = ctx.options.share(ctx.options.alerts, ctx.index)
    done = 0
    ctx.report("alerts", 0, total)
    for batch in chunked(_alerts(ctx, total), ctx.options.batch_size):
        insert(Alert, batch)
        done += len(batch)
        ctx.report("alerts", done, total)


def _alerts(ctx: MissionContext, total: int) -> Iterator[Alert]:
    rng = ctx.rng("alerts")
    threats = ctx.threats_by_aor()
    window_end = ctx.at(ctx.options.end + datetime.timedelta(days=1), 0)
    for number in range(total):
        day = ctx.calendar.day(rng)
        aor = ctx.hotspots(rng)
        place = rng.choice(ctx.areas.by_aor[aor.pk])
        live = [threat for threat in threats.get(aor.pk, ()) if threat.live_on(day)]
        received = ctx.at(day, HOURS(rng) + rng.random())
        alert = Alert(
            mission_id=ctx.mission.pk,
            area_id=place.pk,
            source=SOURCES(rng),
            severity=SEVERITIES(rng),
            summary=rng.choice(SUMMARIES).format(place=place.name),
            threat_id=rng.choice(live).pk if live and rng.random() < 0.5 else None,
            received_at=received,
            received_on=ctx.mission.local_date(received),  # as the alert services store it
            logged_by_id=ctx.users["joc_officer"],
        )
        forced = RESPONSE_FORCED[number] if number < len(RESPONSE_FORCED) else None
        recent = (window_end - received).total_seconds() / 3600 < PENDING_WINDOW_HOURS
        _answer(ctx, rng, alert, aor.name, forced, recent)
        _tally(ctx, alert, day.year)
        yield alert


def _answer(
    ctx: MissionContext,
    rng: random.Random,
    alert: Alert,
    base: str,
    forced: str | None,
    recent: bool,
) -> None:
    received, standard = alert.received_at, ctx.mission.alert_response_standard_hours
    acknowledge = rng.uniform(0.05, 1.5) if rng.random() < 0.9 else rng.uniform(2, 6)
    tier = TIERS(rng)
    alert.acknowledged_at = received + _hours(acknowledge)
    alert.response_tier_id = ctx.reference.tiers[tier]
    alert.response_decided = RESPONSES[tier].format(base=base)
    roll = rng.random()
    if forced == "pending" or (forced is None and recent and roll < 0.6):
        if rng.random() < 0.5:
            alert.deployed_at = received + _hours(acknowledge + rng.uniform(0.5, 3))
        return
    if forced is None and roll < 0.04:
        alert.outcome, alert.outcome_notes = AlertOutcome.NO_RESPONSE_POSSIBLE, NO_RESPONSE_NOTES
        return
    within = forced == "within" or (
        forced is None and rng.random() < WITHIN_STANDARD[alert.severity]
    )
    response = standard * (rng.uniform(0.1, 0.95) if within else rng.uniform(1.05, 3.0))
    deployed = min(response, max(acknowledge, response * rng.uniform(0.1, 0.5)))
    alert.acknowledged_at = received + _hours(min(acknowledge, deployed))
    alert.deployed_at = received + _hours(deployed)
    alert.arrived_at = received + _hours(response)
    alert.outcome = OUTCOMES(rng)


def _tally(ctx: MissionContext, alert: Alert, year: int) -> None:
    """Add the alert to the year's actuals: received, answered within the standard, hours."""
    ctx.tally[Derivation.ALERTS_RECEIVED, year] += 1
    hours = None
    if alert.arrived_at is not None:
        hours = (alert.arrived_at - alert.received_at).total_seconds() / 3600
        ctx.response_hours[year].append(hours)
    if alert.outcome == AlertOutcome.FALSE_ALARM:
        return
    # an alert whose response never arrived counts as missing the standard
    ctx.tally["alerts_answerable", year] += 1
    within = hours is not None and hours <= ctx.mission.alert_response_standard_hours
    ctx.tally[Derivation.ALERTS_WITHIN_STANDARD, year] += within


def _hours(hours: float) -> datetime.timedelta:
    return datetime.timedelta(hours=hours)
