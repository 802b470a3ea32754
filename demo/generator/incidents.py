"""Incidents: who was harmed, where, by whom, with the grave violations against children."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from incidents.choices import (
    CASUALTY_GROUPS,
    Precision,
    SourceType,
    VerificationStatus,
)
from incidents.models import Incident
from indicators.choices import Derivation
from threats.choices import RESTRICTED_VIOLENCE_TYPES, PerpetratorCategory, ViolenceType

from .context import AreaRow, Choice, MissionContext, ThreatRow, chunked, insert
from .threats import PERPETRATORS, THREAT_TYPES

V = ViolenceType
EXTERNAL_SOURCE = "demo"
GRAVE_VIOLATION_KILLING, GRAVE_VIOLATION_RECRUITMENT, GRAVE_VIOLATION_SEXUAL = 1, 2, 3
GRAVE_VIOLATION_ATTACKS, GRAVE_VIOLATION_ABDUCTION, GRAVE_VIOLATION_DENIAL = 4, 5, 6

# (harm, mean victims) by type; the first harm of a type has at least one victim.
HARMS: dict[str, tuple[tuple[str, float], ...]] = {
    V.KILLING_MAIMING: (("killed", 2.0), ("injured", 1.5)),
    V.SEXUAL_VIOLENCE: (("sv", 1.6),),
    V.ABDUCTION: (("abducted", 3.0),),
    V.CHILD_RECRUITMENT: (("abducted", 1.5),),
    V.ATTACK_SCHOOLS_HOSPITALS: (("injured", 0.8),),
    V.DESTRUCTION_LOOTING: (("injured", 0.3),),
    V.FORCED_DISPLACEMENT: (("killed", 0.2),),
    V.INTERCOMMUNAL_VIOLENCE: (("killed", 1.5), ("injured", 2.0)),
    V.EXPLOSIVE_HAZARD: (("injured", 1.6), ("killed", 0.8)),
    V.OTHER: (("injured", 0.3),),
}
AT_LEAST_ONE = {V.KILLING_MAIMING, V.SEXUAL_VIOLENCE, V.ABDUCTION, V.EXPLOSIVE_HAZARD}
VICTIMS = Choice({"women": 27, "men": 48, "girls": 6, "boys": 9, "unknown": 10})
SURVIVORS = Choice({"women": 62, "girls": 30, "men": 4, "boys": 2, "unknown": 2})
CHILDREN = Choice({"boys": 70, "girls": 30})
DISPLACED: dict[str, int] = {
    V.FORCED_DISPLACEMENT: 1500,
    V.INTERCOMMUNAL_VIOLENCE: 400,
    V.DESTRUCTION_LOOTING: 200,
    V.KILLING_MAIMING: 120,
}
VERIFICATION_RECENT = Choice(
    {
        VerificationStatus.REPORTED: 60,
        VerificationStatus.VERIFIED: 25,
        VerificationStatus.UNVERIFIED: 10,
        VerificationStatus.DISCREDITED: 5,
    }
)
VERIFICATION_OLDER = Choice(
    {
        VerificationStatus.REPORTED: 8,
        VerificationStatus.VERIFIED: 67,
        VerificationStatus.UNVERIFIED: 15,
        VerificationStatus.DISCREDITED: 10,
    }
)
SOURCES = Choice(
    {
        SourceType.UN_PATROL: 22,
        SourceType.COMMUNITY_ALERT_NETWORK: 15,
        SourceType.COMMUNITY_LIAISON: 15,
        SourceType.LOCAL_PROTECTION_COMMITTEE: 8,
        SourceType.HUMAN_RIGHTS_MONITORING: 12,
        SourceType.PARTNER: 10,
        SourceType.HOST_AUTHORITIES: 6,
        SourceType.MEDIA: 5,
        SourceType.OPEN_DATA: 5,
        SourceType.OTHER: 2,
    }
)
RELIABILITY = {
    SourceType.UN_PATROL: "AB",
    SourceType.HUMAN_RIGHTS_MONITORING: "AB",
    SourceType.COMMUNITY_LIAISON: "BC",
    SourceType.PARTNER: "BC",
    SourceType.COMMUNITY_ALERT_NETWORK: "CD",
    SourceType.LOCAL_PROTECTION_COMMITTEE: "CD",
    SourceType.HOST_AUTHORITIES: "CDE",
    SourceType.MEDIA: "DEF",
    SourceType.OPEN_DATA: "CF",
    SourceType.OTHER: "F",
}
PRECISION = Choice({Precision.EXACT: 75, Precision.APPROXIMATE: 20, Precision.REGION: 5})
DESCRIPTIONS: dict[str, str] = {
    V.KILLING_MAIMING: "Armed men attacked {place} at night; civilians were killed and wounded.",
    V.SEXUAL_VIOLENCE: "Survivors referred for medical and psychosocial care near {place}.",
    V.ABDUCTION: "Civilians taken from fields near {place}; a ransom was demanded.",
    V.CHILD_RECRUITMENT: "Children taken from {place} and seen at an armed group position.",
    V.ATTACK_SCHOOLS_HOSPITALS: "The health centre of {place} was attacked and looted.",
    V.DENIAL_HUMANITARIAN_ACCESS: "A humanitarian convoy to {place} was stopped and turned back.",
    V.DESTRUCTION_LOOTING: "Houses burned and livestock looted in {place}.",
    V.FORCED_DISPLACEMENT: "Families fled {place} after threats; most went to the nearest site.",
    V.INTERCOMMUNAL_VIOLENCE: "Clashes between communities near {place} over land and cattle.",
    V.ARBITRARY_DETENTION: "Civilians arrested in {place} and held without charge.",
    V.EXPLOSIVE_HAZARD: "An explosive device went off on the road near {place}.",
    V.OTHER: "Threats and intimidation against civilians in {place}.",
}
RECENT_DAYS = 30
DOCUMENTED_SHARE = 0.5


def create_incidents(ctx: MissionContext) -> None:
    """Create the mission's incidents in batches, each batch with its grave violations."""
    total = ctx.options.share(ctx.options.incidents, ctx.index)
    links = Incident.grave_violations.through
    violations = ctx.reference.grave_violations
    done = 0
    ctx.report("incidents", 0, total)
    for batch in chunked(_incidents(ctx, total), ctx.options.batch_size):
        created = insert(Incident, (incident for incident, _ in batch))
        insert(
            links,
            [
                links(incident_id=incident.pk, graveviolation_id=violations[number])
                for incident, (_, numbers) in zip(created, batch, strict=True)
                for number in numbers
                if number in violations
            ],
        )
        done += len(batch)
        ctx.report("incidents", done, total)


def _incidents(ctx: MissionContext, total: int) -> Iterator[tuple[Incident, list[int]]]:
    rng = ctx.rng("incidents")
    threats = ctx.threats_by_aor()
    verification = list(VerificationStatus)
    for number in range(1, total + 1):
        day = ctx.calendar.day(rng)
        aor = ctx.hotspots(rng)
        live = [threat for threat in threats.get(aor.pk, ()) if threat.live_on(day)]
        threat = rng.choice(live) if live and rng.random() < 0.6 else None
        incident, violations = _incident(ctx, rng, day, aor, threat)
        incident.external_id = f"{ctx.mission.acronym}-{number:06d}"
        if number <= len(verification):  # the first incidents cover every verification status
            incident.verification_status = verification[number - 1]
        _tally(ctx, incident, violations)
        yield incident, violations


def _incident(
    ctx: MissionContext,
    rng: random.Random,
    day: datetime.date,
    aor: AreaRow,
    threat: ThreatRow | None,
) -> tuple[Incident, list[int]]:
    if threat and rng.random() < 0.7:
        kind, category, actor = (
            threat.threat_type,
            threat.perpetrator_category,
            threat.perpetrator_actor,
        )
    else:
        kind, category = THREAT_TYPES(rng), PERPETRATORS(rng)
        actor = rng.choice(ctx.template.actors[category])
        actor = "" if category == PerpetratorCategory.UNKNOWN and rng.random() < 0.5 else actor
    precision = PRECISION(rng)
    place = aor if precision == Precision.REGION else rng.choice(ctx.areas.by_aor[aor.pk])
    jitter = 0.0 if precision == Precision.REGION else 0.02
    source = SOURCES(rng)
    incident = Incident(
        mission_id=ctx.mission.pk,
        area_id=place.pk,
        occurred_on=day,
        occurred_at=datetime.time(rng.randrange(24), rng.randrange(0, 60, 5))
        if precision == Precision.EXACT
        else None,
        date_precision=precision,
        location_name=place.name,
        latitude=round(place.lat + rng.uniform(-jitter, jitter), 6),
        longitude=round(place.lon + rng.uniform(-jitter, jitter), 6),
        location_precision=precision,
        incident_type=kind,
        perpetrator_category=category,
        perpetrator_actor=actor,
        description=DESCRIPTIONS[kind].format(place=place.name),
        people_displaced=_displaced(rng, kind),
        verification_status=(
            VERIFICATION_RECENT
            if (ctx.options.end - day).days < RECENT_DAYS
            else VERIFICATION_OLDER
        )(rng),
        source_type=source,
        source_reliability=rng.choice(RELIABILITY[source]),
        threat_id=threat.pk if threat else None,
        external_source=EXTERNAL_SOURCE,
    )
    _casualties(rng, incident)
    violations = _grave_violations(rng, incident)
    incident.is_restricted = kind in RESTRICTED_VIOLENCE_TYPES or bool(violations)
    role = (
        "section_staff"
        if incident.is_restricted
        else rng.choice(("joc_officer",) * 3 + ("poc_adviser",))
    )
    incident.reported_by_id = ctx.users[role]
    return incident, violations


def _casualties(rng: random.Random, incident: Incident) -> None:
    kind = incident.incident_type
    for position, (harm, mean) in enumerate(HARMS.get(kind, ())):
        victims = int(rng.expovariate(1 / mean))
        if position == 0 and kind in AT_LEAST_ONE:
            victims = max(1, victims)
        groups = SURVIVORS if harm == "sv" else CHILDREN if kind == V.CHILD_RECRUITMENT else VICTIMS
        for group, count in groups.split(rng, victims).items():
            setattr(incident, f"{harm}_{group}", count)


def _displaced(rng: random.Random, kind: str) -> int:
    mean = DISPLACED.get(kind)
    return int(rng.expovariate(1 / mean)) if mean and rng.random() < 0.7 else 0


def _grave_violations(rng: random.Random, incident: Incident) -> list[int]:
    """The violations against children the incident carries, by their reference number.

    Child Protection documents only part of the children killed or maimed in wider attacks.
    """
    harmed = incident.killed_girls + incident.killed_boys + incident.injured_girls
    harmed += incident.injured_boys
    documented = rng.random() < DOCUMENTED_SHARE
    rules = (
        (harmed > 0 and documented, GRAVE_VIOLATION_KILLING),
        (incident.incident_type == V.CHILD_RECRUITMENT, GRAVE_VIOLATION_RECRUITMENT),
        (incident.sv_girls + incident.sv_boys > 0, GRAVE_VIOLATION_SEXUAL),
        (incident.incident_type == V.ATTACK_SCHOOLS_HOSPITALS, GRAVE_VIOLATION_ATTACKS),
        (
            incident.abducted_girls + incident.abducted_boys > 0 and documented,
            GRAVE_VIOLATION_ABDUCTION,
        ),
        (
            incident.incident_type == V.DENIAL_HUMANITARIAN_ACCESS and rng.random() < 0.3,
            GRAVE_VIOLATION_DENIAL,
        ),
    )
    return [number for applies, number in rules if applies]


def _tally(ctx: MissionContext, incident: Incident, violations: list[int]) -> None:
    """Add the incident to the year's actuals; official figures count verified incidents."""
    if incident.verification_status != VerificationStatus.VERIFIED:
        return
    year, tally = incident.occurred_on.year, ctx.tally
    for harm, measure in HARM_MEASURES.items():
        tally[measure, year] += sum(getattr(incident, f"{harm}_{g}") for g in CASUALTY_GROUPS)
    tally[Derivation.INCIDENTS, year] += 1
    tally[Derivation.INCIDENTS_HOST_STATE, year] += (
        incident.perpetrator_category == PerpetratorCategory.HOST_STATE_FORCES
    )
    tally[Derivation.GRAVE_VIOLATIONS, year] += len(violations)
    tally[Derivation.PEOPLE_DISPLACED, year] += incident.people_displaced


HARM_MEASURES = {
    "killed": Derivation.CIVILIANS_KILLED,
    "injured": Derivation.CIVILIANS_INJURED,
    "abducted": Derivation.CIVILIANS_ABDUCTED,
    "sv": Derivation.SV_SURVIVORS,
}
