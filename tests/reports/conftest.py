import datetime
import random

import pytest

from incidents.choices import VerificationStatus
from incidents.models import GraveViolation
from indicators.rollups import rollup_rebuild
from missions.models import Area, Mission
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory
from threats.choices import PerpetratorCategory, ViolenceType

MARCH = datetime.date(2026, 3, 1)
CATEGORIES = [
    PerpetratorCategory.NON_STATE_ARMED_GROUP,
    PerpetratorCategory.HOST_STATE_FORCES,
    PerpetratorCategory.COMMUNAL_MILITIA,
]


def log_incidents(mission: Mission, area: Area, *, seed: int, count: int = 12) -> None:
    """Verified incidents of March and February 2026: killings, and sexual violence and
    violations against children in small numbers."""
    rng = random.Random(seed)
    violations = list(GraveViolation.objects.order_by("number"))
    for n in range(count):
        day = datetime.date(2026, rng.choice([2, 3]), rng.randint(1, 28))
        sexual = n % 3 == 0
        IncidentFactory(
            mission=mission,
            area=area,
            occurred_on=day,
            verification_status=VerificationStatus.VERIFIED,
            incident_type=ViolenceType.SEXUAL_VIOLENCE if sexual else ViolenceType.KILLING_MAIMING,
            is_restricted=sexual or n % 4 == 0,
            perpetrator_category=rng.choice(CATEGORIES),
            killed_men=rng.randint(0, 6),
            killed_women=rng.randint(0, 4),
            killed_unknown=rng.randint(0, 3),
            sv_women=rng.randint(0, 2) if sexual else 0,
            sv_girls=rng.randint(0, 2) if sexual else 0,
            sv_men=rng.randint(0, 1) if sexual else 0,
            grave_violations=rng.sample(violations, rng.randint(1, 2)) if n % 4 == 0 else [],
        )


@pytest.fixture
def figures(mission_a: Mission, mission_b: Mission) -> None:
    """Both missions' incidents, and their rollups."""
    for seed, mission in enumerate((mission_a, mission_b)):
        log_incidents(mission, LocalityFactory(mission=mission), seed=seed)
    rollup_rebuild()
