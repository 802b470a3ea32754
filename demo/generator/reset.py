"""Delete demo missions and everything they hold, so that they can be generated afresh."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from activities.models import ProtectionActivity
from alerts.models import Alert
from commitments.models import CommitmentImplementation
from incidents.models import Incident
from indicators.models import IndicatorTarget, Observation, ObservationValue
from missions.choices import AreaKind
from missions.models import Area, Mission
from threats.models import Threat

from .gazetteer import MissionTemplate
from .incidents import EXTERNAL_SOURCE

CHUNK = 5000


def is_demo(mission: Mission, template: MissionTemplate) -> bool:
    """Whether the mission is one the demo generated: a real mission is never deleted.

    It must carry the demo's name for it and hold no incident the demo did not generate.
    """
    if mission.name != template.name:
        return False
    incidents = Incident.objects.filter(mission=mission)
    return not incidents.exclude(external_source=EXTERNAL_SOURCE).exists()


@transaction.atomic
def delete_mission(mission: Mission) -> None:
    """Delete the mission's records, children before parents.

    The big tables go first, in chunks, so memory stays flat; areas go from the localities up,
    because an area protects the areas below it.
    """
    ObservationValue.objects.filter(observation__mission=mission).delete()
    _delete_in_chunks(Observation.objects.filter(mission=mission))
    IndicatorTarget.objects.filter(mission=mission).delete()
    Incident.grave_violations.through.objects.filter(incident__mission=mission).delete()
    _delete_in_chunks(Incident.objects.filter(mission=mission))
    Alert.objects.filter(mission=mission).delete()
    ProtectionActivity.objects.filter(mission=mission).delete()
    Threat.objects.filter(mission=mission).delete()
    CommitmentImplementation.objects.filter(mission=mission).delete()
    for kind in (AreaKind.LOCALITY, AreaKind.AOR, AreaKind.SECTOR):
        Area.objects.filter(mission=mission, kind=kind).delete()
    mission.delete()


def _delete_in_chunks(queryset: models.QuerySet[Any]) -> None:
    while ids := list(queryset.values_list("pk", flat=True)[:CHUNK]):
        queryset.model.objects.filter(pk__in=ids).delete()
