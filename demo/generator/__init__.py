"""Generate realistic, deterministic demo data for POC Tracker.

`seed()` builds each mission whole or not at all: a mission that already exists is left as it
is, so running it again changes nothing. Every number comes from dice seeded by the options and
the mission, so the same options always give the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from missions.models import Mission

from .activities import create_activities
from .alerts import create_alerts
from .commitments import create_commitments
from .context import MissionContext
from .gazetteer import MissionTemplate, mission_template
from .incidents import create_incidents
from .observations import create_observations, localities_needed
from .options import SeedOptions, last_completed_month_end
from .people import DEMO_PASSWORD, DemoUsers, demo_logins
from .places import create_areas, create_mission
from .reference import Reference, ReferenceDataMissing, load_reference
from .reset import delete_mission, is_demo
from .targets import create_targets
from .threats import create_threats

__all__ = [
    "DELETED",
    "DEMO_PASSWORD",
    "KEPT",
    "SKIPPED",
    "ReferenceDataMissing",
    "SeedOptions",
    "SeedResult",
    "Step",
    "demo_logins",
    "last_completed_month_end",
    "seed",
]

# Stages that report an event rather than rows.
SKIPPED, DELETED, KEPT = "skipped", "deleted", "kept"


@dataclass(frozen=True)
class Step:
    """Progress of one stage of one mission: `done` of `total` rows so far."""

    mission: str
    stage: str
    done: int = 0
    total: int = 0


Progress = Callable[[Step], None]


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def seed(
    *, options: SeedOptions, reset: bool = False, progress: Progress | None = None
) -> SeedResult:
    """Generate the demo missions the options describe; say which were created or skipped.

    With `reset`, the demo missions are deleted first (and their data with them).
    """
    report = progress or (lambda step: None)
    reference = load_reference()
    users = DemoUsers()
    users.ensure_global()
    templates = [mission_template(index) for index in range(options.missions)]
    if reset:
        _reset(templates, report)
    result = SeedResult()
    for index, template in enumerate(templates):
        created = _seed_mission(index, template, options, reference, users, report)
        (result.created if created else result.skipped).append(template.acronym)
    return result


def _reset(templates: list[MissionTemplate], report: Progress) -> None:
    by_acronym = {template.acronym: template for template in templates}
    for mission in Mission.objects.filter(acronym__in=by_acronym):
        if is_demo(mission, by_acronym[mission.acronym]):
            delete_mission(mission)
            report(Step(mission.acronym, DELETED))
        else:
            report(Step(mission.acronym, KEPT))


@transaction.atomic
def _seed_mission(
    index: int,
    template: MissionTemplate,
    options: SeedOptions,
    reference: Reference,
    users: DemoUsers,
    report: Progress,
) -> bool:
    """Create one mission and all its data, or nothing if it exists already."""
    if Mission.objects.filter(acronym=template.acronym).exists():
        report(Step(template.acronym, SKIPPED))
        return False
    ctx = MissionContext(
        mission=create_mission(template, reporting_from=options.start),
        index=index,
        template=template,
        options=options,
        reference=reference,
        report=lambda stage, done, total: report(Step(template.acronym, stage, done, total)),
    )
    ctx.users = users.ensure_for(ctx.mission)
    per_aor = localities_needed(template, reference, options, index)
    ctx.areas = create_areas(ctx, localities_per_aor=per_aor)
    areas = len(ctx.areas.sectors) + len(ctx.areas.aors) + len(ctx.areas.localities)
    ctx.report("areas", areas, areas)
    for stage in (
        create_threats,
        create_commitments,
        create_incidents,
        create_alerts,
        create_activities,
        create_observations,
        create_targets,
    ):
        stage(ctx)
    return True
