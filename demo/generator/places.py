"""Missions and their sector → area of responsibility → locality hierarchies."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from decimal import Decimal

from missions.choices import AreaKind, LocalityType
from missions.models import Area, Mission

from .context import AreaRow, AreaSet, Choice, MissionContext
from .gazetteer import AorTemplate, MissionTemplate, Place, place_name

AOR_PHASES = Choice({1: 20, 2: 35, 3: 30, 4: 15})  # phase number: weight
GENERATED_LOCALITY_TYPES = Choice(
    {LocalityType.VILLAGE: 85, LocalityType.TOWN: 10, LocalityType.IDP_SITE: 5}
)


def create_mission(template: MissionTemplate, reporting_from: datetime.date) -> Mission:
    return Mission.objects.create(
        acronym=template.acronym,
        name=template.name,
        host_country=template.host_country,
        host_country_iso3=template.iso3,
        mandate_resolution=template.mandate_resolution,
        mandate_adopted_on=template.mandate_adopted_on,
        mandate_expires_on=template.mandate_expires_on,
        reporting_from=reporting_from,
        poc_priority_tasks=template.poc_priority_tasks,
        working_languages=template.working_languages,
        time_zone=template.time_zone,
        alert_response_standard_hours=template.alert_standard_hours,
    )


def create_areas(ctx: MissionContext, *, localities_per_aor: int) -> AreaSet:
    """Create the hierarchy level by level; each level needs its parents' keys."""
    rng = ctx.rng("places")
    phases = ctx.reference.phases
    prefix = ctx.template.pcode_prefix
    sectors = _bulk(
        Area(
            mission=ctx.mission,
            kind=AreaKind.SECTOR,
            name=sector.name,
            pcode=f"{prefix}{s + 1:02d}",
            latitude=_coordinate(sector.lat),
            longitude=_coordinate(sector.lon),
        )
        for s, sector in enumerate(ctx.template.sectors)
    )
    aor_templates = [aor for sector in ctx.template.sectors for aor in sector.aors]
    aors = _bulk(
        Area(
            mission=ctx.mission,
            kind=AreaKind.AOR,
            name=aor.name,
            parent_id=sector.pk,
            sector_id=sector.pk,  # bulk_create skips Area.save(): set the ancestors here
            pcode=f"{sector.pcode}{a + 1:02d}",
            latitude=_coordinate(aor.lat),
            longitude=_coordinate(aor.lon),
            phase_id=phases[AOR_PHASES(rng)],
        )
        for sector, sector_template in zip(sectors, ctx.template.sectors, strict=True)
        for a, aor in enumerate(sector_template.aors)
    )
    localities = _bulk(
        Area(
            mission=ctx.mission,
            kind=AreaKind.LOCALITY,
            name=place.name,
            parent_id=aor.pk,
            sector_id=aor.sector_id,
            aor_id=aor.pk,
            locality_type=place.locality_type,
            pcode=f"{aor.pcode}{p + 1:03d}",
            latitude=_coordinate(place.lat),
            longitude=_coordinate(place.lon),
            phase_id=aor.phase_id if rng.random() < 0.5 else None,
        )
        for aor, template in zip(aors, aor_templates, strict=True)
        for p, place in enumerate(_localities(template, localities_per_aor, rng))
    )
    return AreaSet(
        sectors=[_row(area) for area in sectors],
        aors=[_row(area) for area in aors],
        localities=[_row(area) for area in localities],
    )


def _localities(aor: AorTemplate, count: int, rng: random.Random) -> list[Place]:
    """The AOR's known localities, then invented ones around it until there are `count`."""
    places = list(aor.localities[:count])
    names = {place.name for place in places}
    while len(places) < count:
        name = place_name(rng)
        if name in names:
            continue
        names.add(name)
        places.append(
            Place(
                name,
                aor.lat + rng.uniform(-0.35, 0.35),
                aor.lon + rng.uniform(-0.35, 0.35),
                GENERATED_LOCALITY_TYPES(rng),
            )
        )
    return places


def _bulk(areas: Iterable[Area]) -> list[Area]:
    return Area.objects.bulk_create(list(areas))


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _row(area: Area) -> AreaRow:
    # every generated area is placed on the map
    assert area.latitude is not None and area.longitude is not None
    return AreaRow(
        pk=area.pk,
        name=area.name,
        kind=area.kind,
        lat=float(area.latitude),
        lon=float(area.longitude),
        sector_pk=area.sector_id,
        aor_pk=area.pk if area.kind == AreaKind.AOR else area.aor_id,
        locality_type=area.locality_type,
    )
