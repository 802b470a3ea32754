"""The threat register: threats of every status, their communities at risk and response plans."""

from __future__ import annotations

import datetime
import random

from commitments.choices import ActionStatus
from core.choices import Component
from indicators.choices import Derivation
from threats.choices import (
    CommunityGroup,
    PerpetratorCategory,
    ThreatStatus,
    Trend,
    ViolenceType,
)
from threats.models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

from .context import AreaRow, Choice, MissionContext, ThreatRow

V = ViolenceType
THREAT_TYPES = Choice(
    {
        V.KILLING_MAIMING: 25,
        V.SEXUAL_VIOLENCE: 10,
        V.ABDUCTION: 12,
        V.CHILD_RECRUITMENT: 5,
        V.ATTACK_SCHOOLS_HOSPITALS: 3,
        V.DENIAL_HUMANITARIAN_ACCESS: 4,
        V.DESTRUCTION_LOOTING: 10,
        V.FORCED_DISPLACEMENT: 8,
        V.INTERCOMMUNAL_VIOLENCE: 12,
        V.ARBITRARY_DETENTION: 6,
        V.EXPLOSIVE_HAZARD: 3,
        V.OTHER: 2,
    }
)
PERPETRATORS = Choice(
    {
        PerpetratorCategory.NON_STATE_ARMED_GROUP: 42,
        PerpetratorCategory.HOST_STATE_FORCES: 12,
        PerpetratorCategory.FOREIGN_STATE_FORCES: 3,
        PerpetratorCategory.COMMUNAL_MILITIA: 20,
        PerpetratorCategory.CRIMINAL_GROUP: 12,
        PerpetratorCategory.UNKNOWN: 11,
    }
)
STATUSES = Choice(
    {
        ThreatStatus.EMERGING: 15,
        ThreatStatus.ACTIVE: 40,
        ThreatStatus.CONTAINED: 20,
        ThreatStatus.RESOLVED: 25,
    }
)
PHASE_BY_STATUS = {
    ThreatStatus.EMERGING: 2,
    ThreatStatus.ACTIVE: 3,
    ThreatStatus.CONTAINED: 4,
    ThreatStatus.RESOLVED: 4,
}
TREND_BY_STATUS = {
    ThreatStatus.EMERGING: Trend.INCREASING,
    ThreatStatus.ACTIVE: Trend.STABLE,
    ThreatStatus.CONTAINED: Trend.DECREASING,
    ThreatStatus.RESOLVED: Trend.DECREASING,
}
TITLES = {
    V.KILLING_MAIMING: "{actor} attacks on villages in {aor}",
    V.SEXUAL_VIOLENCE: "Sexual violence against women and girls in {aor}",
    V.ABDUCTION: "Abductions on roads and fields around {place}",
    V.CHILD_RECRUITMENT: "Recruitment of children by {actor} in {aor}",
    V.ATTACK_SCHOOLS_HOSPITALS: "Attacks on schools and health centres in {aor}",
    V.DENIAL_HUMANITARIAN_ACCESS: "Obstruction of humanitarian convoys in {aor}",
    V.DESTRUCTION_LOOTING: "Looting and burning of villages in {aor}",
    V.FORCED_DISPLACEMENT: "Forced displacement from {place}",
    V.INTERCOMMUNAL_VIOLENCE: "Inter-communal clashes around {place}",
    V.ARBITRARY_DETENTION: "Arbitrary arrests by {actor} in {aor}",
    V.EXPLOSIVE_HAZARD: "Explosive devices on roads in {aor}",
    V.OTHER: "Threats against civilians in {aor}",
}
RESIDENT_GROUPS = (
    CommunityGroup.RESIDENTS,
    CommunityGroup.RESIDENTS,
    CommunityGroup.RETURNEES,
    CommunityGroup.MINORITY,
)
WARNING_SIGNS = (
    "Armed men seen near fields and water points; families leaving at night.",
    "Market attendance falling; traders refusing the road after dark.",
    "Hate speech on local radio and social media; youth mobilising.",
    "Checkpoints multiplying on the main axis; illegal taxation reported.",
    "Schools closing early; children kept at home.",
    "Cattle movements earlier than the season; herders armed.",
)
RESPONSES = {
    1: (
        ("Engage {actor} leaders through customary authorities", Component.CIVIL_AFFAIRS),
        ("Convene the local protection committee in {place}", Component.CIVIL_AFFAIRS),
        ("Broadcast alert hotline numbers on community radio", Component.STRATEGIC_COMMUNICATIONS),
        ("Mediate between community leaders in {aor}", Component.POLITICAL_AFFAIRS),
    ),
    2: (
        ("Day and night patrols around {place}", Component.MILITARY),
        ("Temporary operating base near {place}", Component.MILITARY),
        ("Escort farmers and market-goers on the {aor} axis", Component.MILITARY),
        ("Joint police patrols in the IDP sites of {aor}", Component.POLICE),
    ),
    3: (
        ("Support mobile courts for cases from {aor}", Component.JUSTICE_CORRECTIONS),
        ("Community violence reduction project for youth in {place}", Component.DDR_CVR),
        ("Train police officers on human rights and protection", Component.POLICE),
        ("Support the safe return of displaced families to {place}", Component.HUMAN_RIGHTS),
    ),
}


def create_threats(ctx: MissionContext) -> None:
    """Create the register; each threat is anchored in one area of responsibility."""
    rng = ctx.rng("threats")
    count = max(12, ctx.options.share(ctx.options.incidents, ctx.index) // 60)
    drafts = [_threat(ctx, rng, number) for number in range(count)]
    threats = Threat.objects.bulk_create([threat for threat, _, _ in drafts])
    # the history's own dice, so that re-scorings leave the rest of the register as it was
    history_rng = ctx.rng("threat-assessments")
    links, communities, actions = [], [], []
    assessments: list[ThreatAssessment] = []
    for threat, (_, aor, places) in zip(threats, drafts, strict=True):
        history = _assessments(ctx, history_rng, threat)
        assessments += history
        ctx.threats.append(_row(threat, aor, history))
        links += [
            Threat.areas.through(threat_id=threat.pk, area_id=area.pk) for area in [aor, *places]
        ]
        communities += [_community(rng, threat, place) for place in places]
        actions += _actions(ctx, rng, threat, aor, places[0])
    Threat.areas.through.objects.bulk_create(links)
    ThreatAssessment.objects.bulk_create(assessments)
    CommunityAtRisk.objects.bulk_create(communities)
    ResponseAction.objects.bulk_create(actions)
    _tally(ctx)
    ctx.report("threats", len(threats), count)


def _threat(
    ctx: MissionContext, rng: random.Random, number: int
) -> tuple[Threat, AreaRow, list[AreaRow]]:
    # The first threats cover every status and every perpetrator category; the rest are drawn.
    status = list(ThreatStatus)[number] if number < len(ThreatStatus) else STATUSES(rng)
    category = (
        list(PerpetratorCategory)[number]
        if number < len(PerpetratorCategory)
        else PERPETRATORS(rng)
    )
    threat_type = THREAT_TYPES(rng)
    aor = ctx.hotspots(rng)
    places = rng.sample(ctx.areas.by_aor[aor.pk], min(len(ctx.areas.by_aor[aor.pk]), 3))
    actor = rng.choice(ctx.template.actors[category])
    identified_on, closed_on = _lifetime(ctx, rng, status)
    likelihood = 2 if number == 0 else rng.choice((2, 3, 3, 4, 4, 5))
    phase = 1 if status == ThreatStatus.EMERGING and likelihood <= 2 else PHASE_BY_STATUS[status]
    threat = Threat(
        mission=ctx.mission,
        title=TITLES[threat_type].format(actor=actor, aor=aor.name, place=places[0].name),
        description=f"Assessment by the JMAC and the POC unit of the threat in {aor.name}.",
        threat_type=threat_type,
        perpetrator_category=category,
        perpetrator_actor=actor if category != PerpetratorCategory.UNKNOWN else "",
        likelihood=likelihood,
        impact=rng.choice((2, 3, 4, 4, 5, 5)),
        trend=TREND_BY_STATUS[status],
        phase_id=ctx.reference.phases[phase],
        status=status,
        identified_on=identified_on,
        closed_on=closed_on,
        warning_signs="\n".join(rng.sample(WARNING_SIGNS, 2)),
        owner_id=ctx.users[rng.choice(("poc_adviser", "jmac_analyst"))],
        next_review_on=None if closed_on else ctx.options.end + _days(rng.randint(7, 45)),
    )
    return threat, aor, places


def _lifetime(
    ctx: MissionContext, rng: random.Random, status: str
) -> tuple[datetime.date, datetime.date | None]:
    start, days, end = ctx.options.start, ctx.options.days, ctx.options.end
    if status == ThreatStatus.EMERGING:
        return end - _days(rng.randint(0, 60)), None
    if status == ThreatStatus.RESOLVED:
        identified = start + _days(rng.randint(0, days * 2 // 3))
        return identified, min(end, identified + _days(rng.randint(30, 200)))
    # active and contained threats: some were on the register long before the window
    return start + _days(rng.randint(-365, days - 30)), None


def _assessments(ctx: MissionContext, rng: random.Random, threat: Threat) -> list[ThreatAssessment]:
    """The threat's risk history, oldest first, ending on its current scores.

    About a third of the threats that lived long enough were re-scored once or twice: an
    earlier score one step lower or higher on each scale, the way an assessment drifts
    between reviews. The rest keep their first assessment.
    """
    end = min(threat.closed_on or ctx.options.end, ctx.options.end)
    lived = (end - threat.identified_on).days
    rescorings = rng.choice((0, 0, 0, 0, 1, 2)) if lived > 90 else 0
    days = sorted(rng.sample(range(30, lived - 30), rescorings)) if rescorings else []
    starts = [threat.identified_on, *(threat.identified_on + _days(day) for day in days)]
    scores = [(_nudge(rng, threat.likelihood), _nudge(rng, threat.impact)) for _ in days]
    scores.append((threat.likelihood, threat.impact))
    reviewer = ctx.users[rng.choice(("poc_adviser", "jmac_analyst"))]
    return [
        ThreatAssessment(
            threat=threat,
            mission_id=threat.mission_id,
            valid_from=start,
            valid_to=starts[number + 1] if number + 1 < len(starts) else None,
            likelihood=likelihood,
            impact=impact,
            trend=threat.trend,
            phase_id=threat.phase_id,
            assessed_by_id=reviewer,
            assessed_at=datetime.datetime.combine(start, datetime.time(9), tzinfo=datetime.UTC),
        )
        for number, (start, (likelihood, impact)) in enumerate(zip(starts, scores, strict=True))
    ]


def _nudge(rng: random.Random, score: int) -> int:
    return min(5, max(1, score + rng.choice((-1, 0, 1))))


def _community(rng: random.Random, threat: Threat, place: AreaRow) -> CommunityAtRisk:
    displaced = place.locality_type in ("idp_site", "poc_site")
    people = rng.randint(300, 25000 if displaced else 8000)
    return CommunityAtRisk(
        threat=threat,
        mission_id=threat.mission_id,
        name=f"Displaced families at {place.name}" if displaced else f"Residents of {place.name}",
        group=CommunityGroup.IDPS if displaced else rng.choice(RESIDENT_GROUPS),
        area_id=place.pk,
        women=int(people * 0.27),
        men=int(people * 0.22),
        girls=int(people * 0.26),
        boys=int(people * 0.25),
    )


def _actions(
    ctx: MissionContext, rng: random.Random, threat: Threat, aor: AreaRow, place: AreaRow
) -> list[ResponseAction]:
    """One or two actions in each tier, in the threat's phase or the one before."""
    phase = {pk: number for number, pk in ctx.reference.phases.items()}[threat.phase_id]
    actions = []
    for tier, options in RESPONSES.items():
        for text, component in rng.sample(options, rng.randint(1, 2)):
            status = _action_status(rng, threat.status)
            actions.append(
                ResponseAction(
                    threat=threat,
                    tier_id=ctx.reference.tiers[tier],
                    phase_id=ctx.reference.phases[max(1, phase - rng.randint(0, 1))],
                    description=text.format(
                        actor=threat.perpetrator_actor or "armed group",
                        aor=aor.name,
                        place=place.name,
                    ),
                    component=component,
                    lead=f"Head of office, {aor.name}",
                    status=status,
                    due_on=threat.identified_on + _days(rng.randint(14, 120)),
                )
            )
    return actions


def _action_status(rng: random.Random, threat_status: str) -> str:
    if threat_status == ThreatStatus.RESOLVED:
        return rng.choice((ActionStatus.DONE, ActionStatus.DONE, ActionStatus.CANCELLED))
    return rng.choice(
        (
            ActionStatus.PLANNED,
            ActionStatus.IN_PROGRESS,
            ActionStatus.IN_PROGRESS,
            ActionStatus.DONE,
        )
    )


def _row(threat: Threat, aor: AreaRow, history: list[ThreatAssessment]) -> ThreatRow:
    return ThreatRow(
        pk=threat.pk,
        aor_pk=aor.pk,
        threat_type=threat.threat_type,
        perpetrator_category=threat.perpetrator_category,
        perpetrator_actor=threat.perpetrator_actor,
        identified_on=threat.identified_on,
        closed_on=threat.closed_on,
        risk_score=threat.likelihood * threat.impact,
        scores=tuple((a.valid_from, a.likelihood * a.impact) for a in history),
    )


def _tally(ctx: MissionContext) -> None:
    """Count the open high-risk threats at each year's end (or the window's end)."""
    for year in ctx.options.calendar_years:
        moment = min(datetime.date(year, 12, 31), ctx.options.end)
        ctx.tally[Derivation.HIGH_RISK_THREATS, year] = sum(
            threat.live_on(moment) and threat.closed_on != moment
            for threat in ctx.threats
            if (threat.risk_score_on(moment) or 0) >= ctx.mission.risk_high_from
        )


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)
