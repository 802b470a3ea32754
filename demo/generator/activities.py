"""Protection activities in every tier and phase, with the people they reached."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator

from activities.choices import ActivityType as A
from activities.models import ProtectionActivity
from core.choices import Component as C
from indicators.choices import Derivation

from .context import Choice, MissionContext, chunked, insert

TIERS = Choice({1: 35, 2: 45, 3: 20})
PHASES = Choice({1: 25, 2: 30, 3: 25, 4: 20})
KINDS_BY_TIER = {
    1: Choice(
        {
            A.COMMUNITY_ENGAGEMENT: 45,
            A.DIALOGUE_ARMED_GROUPS: 10,
            A.DIALOGUE_AUTHORITIES: 20,
            A.STRATEGIC_COMMUNICATION: 25,
        }
    ),
    2: Choice({A.PATROL: 90, A.OTHER: 10}),
    3: Choice({A.CVR_PROJECT: 35, A.CAPACITY_BUILDING: 45, A.DIALOGUE_AUTHORITIES: 20}),
}
# kind: (title, components, shortest and longest duration in days, mean people reached)
KINDS = {
    A.PATROL: ("Patrol to {place}", (C.MILITARY, C.MILITARY, C.POLICE), (0, 2), 60),
    A.COMMUNITY_ENGAGEMENT: (
        "Community engagement meeting in {place}",
        (C.CIVIL_AFFAIRS,),
        (0, 0),
        80,
    ),
    A.DIALOGUE_ARMED_GROUPS: (
        "Dialogue with armed group leaders near {place}",
        (C.POLITICAL_AFFAIRS, C.CIVIL_AFFAIRS),
        (0, 1),
        12,
    ),
    A.DIALOGUE_AUTHORITIES: (
        "Meeting with local authorities of {aor}",
        (C.CIVIL_AFFAIRS, C.POLITICAL_AFFAIRS),
        (0, 0),
        20,
    ),
    A.STRATEGIC_COMMUNICATION: (
        "Radio campaign on alert hotlines in {aor}",
        (C.STRATEGIC_COMMUNICATIONS,),
        (7, 30),
        2500,
    ),
    A.CVR_PROJECT: (
        "Community violence reduction project for youth in {place}",
        (C.DDR_CVR,),
        (60, 180),
        150,
    ),
    A.CAPACITY_BUILDING: (
        "Training of the local protection committee of {place}",
        (C.HUMAN_RIGHTS, C.POLICE, C.CHILD_PROTECTION, C.WOMEN_PROTECTION),
        (1, 5),
        30,
    ),
    A.OTHER: ("Escort of a humanitarian convoy to {place}", (C.MILITARY, C.POC_UNIT), (0, 3), 20),
}
AUDIENCE = Choice({"women": 30, "men": 35, "girls": 17, "boys": 18})
LEADERS = Choice({"women": 20, "men": 80})
DIALOGUES = {A.DIALOGUE_ARMED_GROUPS, A.DIALOGUE_AUTHORITIES}


def create_activities(ctx: MissionContext) -> None:
    total = ctx.options.share(ctx.options.activities, ctx.index)
    done = 0
    ctx.report("activities", 0, total)
    for batch in chunked(_activities(ctx, total), ctx.options.batch_size):
        insert(ProtectionActivity, batch)
        done += len(batch)
        ctx.report("activities", done, total)


def _activities(ctx: MissionContext, total: int) -> Iterator[ProtectionActivity]:
    rng = ctx.rng("activities")
    threats = ctx.threats_by_aor()
    # the first activities cover every tier in every phase
    every = list(itertools.product(ctx.reference.tiers, ctx.reference.phases))
    for number in range(total):
        tier, phase = every[number] if number < len(every) else (TIERS(rng), PHASES(rng))
        day = ctx.calendar.day(rng)
        aor = ctx.hotspots(rng)
        place = rng.choice(ctx.areas.by_aor[aor.pk])
        kind = KINDS_BY_TIER[tier](rng)
        title, components, (shortest, longest), mean = KINDS[kind]
        live = [threat for threat in threats.get(aor.pk, ()) if threat.live_on(day)]
        activity = ProtectionActivity(
            mission_id=ctx.mission.pk,
            area_id=aor.pk if kind == A.STRATEGIC_COMMUNICATION else place.pk,
            activity_type=kind,
            title=title.format(place=place.name, aor=aor.name),
            tier_id=ctx.reference.tiers[tier],
            phase_id=ctx.reference.phases[phase],
            component=rng.choice(components),
            started_on=day,
            ended_on=_ended_on(ctx, day, rng.randint(shortest, longest)),
            threat_id=rng.choice(live).pk if live and rng.random() < 0.4 else None,
            logged_by_id=ctx.users["joc_officer" if tier == 2 else "section_staff"],
        )
        _reach(rng, activity, mean)
        ctx.tally[Derivation.ACTIVITIES, day.year] += 1
        ctx.tally[Derivation.PEOPLE_REACHED, day.year] += activity.total_people
        yield activity


def _ended_on(ctx: MissionContext, day: datetime.date, days: int) -> datetime.date | None:
    """The last day, or None for an activity still running at the end of the window."""
    ended = day + datetime.timedelta(days=days)
    return None if ended > ctx.options.end else ended


def _reach(rng: random.Random, activity: ProtectionActivity, mean: int) -> None:
    audience = LEADERS if activity.activity_type in DIALOGUES else AUDIENCE
    people = int(rng.expovariate(1 / mean)) + 1
    if people > 200:
        # big audiences are estimated, not counted one by one
        for group, share in zip(audience.keys, _shares(rng, audience), strict=True):
            setattr(activity, group, int(people * share))
        return
    for group, count in audience.split(rng, people).items():
        setattr(activity, group, count)


def _shares(rng: random.Random, audience: Choice) -> list[float]:
    noisy = [weight * rng.uniform(0.8, 1.2) for weight in audience.weights]
    return [weight / sum(noisy) for weight in noisy]
