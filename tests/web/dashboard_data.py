"""A mission with a few weeks of records and their rollups, as the dashboard tests read them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from commitments.choices import ImplementationStatus
from commitments.models import KeyElement, Phase, Tier
from incidents.choices import VerificationStatus
from indicators.models import Indicator
from indicators.rollups import rollup_rebuild
from missions.models import Area, Mission
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import CommitmentImplementationFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import IndicatorTargetFactory
from tests.factories.missions import AorFactory, LocalityFactory, SectorFactory
from tests.factories.threats import ThreatFactory
from threats.choices import PerpetratorCategory

NOW = datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC)
MARCH = datetime.date(2026, 3, 1)
VERIFIED = VerificationStatus.VERIFIED


@dataclass(frozen=True)
class Places:
    sector: Area
    aor: Area
    village: Area
    town: Area
    other_sector: Area


def seed(mission: Mission) -> Places:
    """Two sectors with coordinates; incidents (one by host-state forces), alerts, threats of
    several risk levels, activities, targets and two key elements' status; rollups rebuilt.

    The records fall in March 2026 (and one in February): at NOW, March is the running month.
    """
    mission.host_country_iso3 = "CAF"
    mission.save(update_fields=["host_country_iso3"])
    sector = SectorFactory(mission=mission, name="North", latitude=7.0, longitude=20.5)
    other_sector = SectorFactory(mission=mission, name="South", latitude=4.4, longitude=18.6)
    aor = AorFactory(mission=mission, parent=sector, name="Kaga", latitude=6.9, longitude=19.2)
    village = LocalityFactory(
        mission=mission, parent=aor, name="Bria", latitude=6.5, longitude=21.9
    )
    town = LocalityFactory(mission=mission, parent=aor, name="Ndele", latitude=8.4, longitude=20.6)
    south_aor = AorFactory(
        mission=mission, parent=other_sector, name="Ombella", latitude=4.5, longitude=18.5
    )
    south = LocalityFactory(
        mission=mission, parent=south_aor, name="Bangui", latitude=4.36, longitude=18.55
    )
    for day, area, killed in ((5, village, 2), (9, town, 1), (12, south, 3)):
        IncidentFactory(
            mission=mission,
            area=area,
            occurred_on=datetime.date(2026, 3, day),
            verification_status=VERIFIED,
            killed_women=killed,
            killed_boys=1,
            injured_men=1,
        )
    IncidentFactory(
        mission=mission,
        area=village,
        occurred_on=datetime.date(2026, 3, 14),
        verification_status=VERIFIED,
        perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES,
        killed_men=1,
    )
    IncidentFactory(  # February: the previous period
        mission=mission,
        area=village,
        occurred_on=datetime.date(2026, 2, 10),
        verification_status=VERIFIED,
        killed_women=1,
    )
    for hour in (1, 2, 3):
        received = datetime.datetime(2026, 3, 10 + hour, 8, tzinfo=datetime.UTC)
        AlertFactory(mission=mission, area=village, received_at=received)
    phase = Phase.objects.order_by("number").first()
    for likelihood, impact, areas in ((5, 5, [village]), (4, 4, [town]), (2, 2, [south])):
        ThreatFactory(
            mission=mission, likelihood=likelihood, impact=impact, areas=areas, phase=phase
        )
    tier = Tier.objects.get(number=2)
    for day in (2, 6):
        ProtectionActivityFactory(
            mission=mission,
            area=town,
            started_on=datetime.date(2026, 3, day),
            tier=tier,
            phase=phase,
        )
    for code, target in (("POC-01", 120), ("POC-05", 60), ("POC-13", 24)):
        IndicatorTargetFactory(
            indicator=Indicator.objects.get(code=code),
            mission=mission,
            baseline=Decimal(target) * 2,
            target=target,
        )
    elements = KeyElement.objects.filter(paragraph__number=10).order_by("number")
    CommitmentImplementationFactory(
        mission=mission, key_element=elements[0], status=ImplementationStatus.ON_TRACK
    )
    CommitmentImplementationFactory(
        mission=mission, key_element=elements[2], status=ImplementationStatus.DELAYED
    )
    rollup_rebuild(mission=mission)
    return Places(sector=sector, aor=aor, village=village, town=town, other_sector=other_sector)
