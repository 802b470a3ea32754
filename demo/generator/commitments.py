"""How far each mission has implemented the four key elements of A4P paragraph 10."""

from __future__ import annotations

import datetime
import random

from commitments.choices import ActionStatus, ImplementationStatus
from commitments.models import CommitmentAction, CommitmentImplementation
from core.choices import Component as C
from indicators.choices import Derivation

from .context import MissionContext

# key element code: (responsible component, summary, evidence, actions)
PLANS = {
    "tailored-approaches": (
        C.POC_UNIT,
        "Threat assessments drive the mission's POC plans in each area of responsibility.",
        "Quarterly threat assessments; POC plans per area; SMG-P minutes.",
        (
            ("Update the threat assessment of each area of responsibility", C.JMAC),
            ("Review the POC strategy with the Senior Management Group on Protection", C.POC_UNIT),
            ("Map local protection committees and their protection plans", C.CIVIL_AFFAIRS),
            ("Align patrol plans with the threat register", C.MILITARY),
        ),
    ),
    "women-and-children": (
        C.CHILD_PROTECTION,
        "Risks to women and children are analysed and answered in every POC plan.",
        "Monitoring and reporting mechanism reports; CRSV early-warning indicators.",
        (
            ("Train patrol leaders on early-warning signs of sexual violence", C.WOMEN_PROTECTION),
            ("Verify and document grave violations within the reporting cycle", C.CHILD_PROTECTION),
            ("Include women in every local protection committee", C.CIVIL_AFFAIRS),
            ("Secure firewood and water routes around IDP sites", C.MILITARY),
        ),
    ),
    "all-necessary-means": (
        C.MILITARY,
        "Contingents are ready to act to protect civilians, within the rules of engagement.",
        "Rapid deployment drills; after-action reviews of alert responses.",
        (
            ("Run rapid-deployment drills with every contingent", C.MILITARY),
            ("Review responses to alerts answered outside the standard", C.JOC),
            ("Position quick reaction forces near the highest-risk localities", C.MILITARY),
        ),
    ),
    "strategic-communications": (
        C.STRATEGIC_COMMUNICATIONS,
        "Communities know what the mission can and cannot do, and how to raise an alert.",
        "Perception surveys; radio programme logs; community alert network records.",
        (
            (
                "Broadcast alert hotline numbers on partner radio stations",
                C.STRATEGIC_COMMUNICATIONS,
            ),
            ("Hold town halls on the mission's mandate and its limits", C.CIVIL_AFFAIRS),
            ("Answer rumours and disinformation within 48 hours", C.STRATEGIC_COMMUNICATIONS),
        ),
    ),
}
GENERIC = (
    C.POC_UNIT,
    "Implementation reviewed by the POC unit.",
    "Progress reports.",
    (("Agree an implementation plan with the components concerned", C.POC_UNIT),),
)
STATUSES = list(ImplementationStatus)
ON_TRACK = {ImplementationStatus.ON_TRACK, ImplementationStatus.ACHIEVED}


def create_commitments(ctx: MissionContext) -> None:
    """One implementation per paragraph-10 key element, with its actions."""
    rng = ctx.rng("commitments")
    end, reviewer = ctx.options.end, ctx.users["poc_adviser"]
    on_track, actions = 0, []
    for position, (code, element_pk) in enumerate(ctx.reference.key_elements):
        component, summary, evidence, steps = PLANS.get(code, GENERIC)
        # statuses rotate from mission to mission so that every status shows somewhere
        status = STATUSES[(ctx.index + position) % len(STATUSES)]
        implementation = CommitmentImplementation.objects.create(
            mission=ctx.mission,
            key_element_id=element_pk,
            status=status,
            summary=summary,
            responsible_component=component,
            due_on=end + datetime.timedelta(days=rng.randint(30, 180)),
            evidence=evidence,
            last_reviewed_on=end - datetime.timedelta(days=rng.randint(0, 60)),
            reviewed_by_id=reviewer,
        )
        on_track += status in ON_TRACK
        actions += [_action(ctx, rng, implementation, text, by) for text, by in steps]
    CommitmentAction.objects.bulk_create(actions)
    for year in ctx.options.calendar_years:
        ctx.tally[Derivation.A4P_ELEMENTS_ON_TRACK, year] = on_track
    count = len(ctx.reference.key_elements)
    ctx.report("commitment implementations", count, count)


def _action(
    ctx: MissionContext,
    rng: random.Random,
    implementation: CommitmentImplementation,
    description: str,
    component: str,
) -> CommitmentAction:
    due_on = ctx.options.start + datetime.timedelta(days=rng.randint(30, ctx.options.days + 90))
    if implementation.status == ImplementationStatus.ACHIEVED or due_on < ctx.options.end:
        status = rng.choice((ActionStatus.DONE, ActionStatus.DONE, ActionStatus.IN_PROGRESS))
    else:
        status = rng.choice((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS))
    if implementation.status == ImplementationStatus.NOT_STARTED:
        status = ActionStatus.PLANNED
    return CommitmentAction(
        implementation=implementation,
        description=description,
        component=component,
        status=status,
        due_on=due_on,
        done_on=min(due_on, ctx.options.end) if status == ActionStatus.DONE else None,
    )
