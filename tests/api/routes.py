"""The API's routes, read from the router, and one record of each route's model to call them on.

Both the access matrix and the query-count test walk `api_routes()`, so a new endpoint is
covered as soon as it is registered; `make_record` fails for a model it does not know, and so
do those tests, until its record is added here.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from api.permissions import PolicyPermission
from api.urls import router
from audit.services import audit_delete
from core.choices import SexAge
from imports.models import IncidentImport
from indicators.choices import AreaLevel, PeriodKind
from indicators.models import Rollup
from missions.choices import MissionRole
from missions.models import Mission
from tests.factories.accounts import UserFactory
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import (
    CommitmentActionFactory,
    CommitmentImplementationFactory,
    KeyElementFactory,
    ParagraphFactory,
    PhaseFactory,
    PriorityAreaFactory,
    TierFactory,
)
from tests.factories.incidents import GraveViolationFactory, IncidentFactory
from tests.factories.indicators import (
    IndicatorFactory,
    IndicatorTargetFactory,
    ObservationFactory,
    ObservationValueFactory,
)
from tests.factories.missions import LocalityFactory, MembershipFactory
from tests.factories.threats import (
    CommunityAtRiskFactory,
    ResponseActionFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
)


@dataclass(frozen=True)
class ApiRoute:
    basename: str
    viewset: type[Any]
    name: str  # the URL name: "threat-list", "threat-close"
    detail: bool
    mapping: dict[str, str]  # HTTP method → viewset action

    @property
    def model(self) -> type[models.Model]:
        model: type[models.Model] = self.viewset.queryset.model
        return model

    @property
    def policy_scoped(self) -> bool:
        return any(
            issubclass(permission, PolicyPermission)
            for permission in self.viewset.permission_classes
        )

    def url(self, record: models.Model | None = None) -> str:
        name = f"api:{self.name}"
        return reverse(name, kwargs={"pk": record.pk}) if self.detail and record else reverse(name)

    def __str__(self) -> str:
        return self.name


def api_routes() -> Iterator[ApiRoute]:
    """Every route of the router, with the methods its viewset implements."""
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = {
                method: action
                for method, action in route.mapping.items()
                if hasattr(viewset, action)
            }
            if mapping:
                yield ApiRoute(
                    basename=basename,
                    viewset=viewset,
                    name=route.name.format(basename=basename),
                    detail=route.detail,
                    mapping=mapping,
                )


def _membership(mission: Mission) -> models.Model:
    return MembershipFactory(mission=mission, user=UserFactory(), role=MissionRole.SECTION_STAFF)


def _threat_child(factory: Any) -> Callable[[Mission], models.Model]:
    return lambda mission: factory(threat=ThreatFactory(mission=mission, assessments=False))


# Reference rows are unique by number: each call makes a new one, past those that ship.
_numbers = itertools.count(100)


def _numbered(factory: Any, **fields: Any) -> Callable[[Mission], models.Model]:
    def make(mission: Mission) -> models.Model:
        n = next(_numbers)
        extra = {name: value.format(n=n) for name, value in fields.items()}
        return factory(number=n, **extra)

    return make


def _observation(mission: Mission) -> models.Model:
    observation = ObservationFactory(mission=mission)
    ObservationValueFactory(observation=observation, disaggregation=SexAge.TOTAL)
    return observation


def _rollup(mission: Mission) -> models.Model:
    # a computed row, as the engine writes it
    return Rollup.objects.create(
        indicator=IndicatorFactory(),
        mission=mission,
        level=AreaLevel.MISSION,
        period=PeriodKind.MONTH,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        disaggregation=SexAge.TOTAL,
        value=4,
        computed_at=timezone.now(),
    )


def _entry(record: Callable[[Mission], models.Model]) -> Callable[[Mission], models.Model]:
    """An audit entry of a record made by `record`, as its deletion would have written it
    (the record stays: its need-to-know still decides who reads the entry)."""
    return lambda mission: audit_delete(by=None, instance=record(mission))


RECORDS: dict[str, Callable[[Mission], models.Model]] = {
    "missions.mission": lambda mission: mission,
    "missions.area": lambda mission: LocalityFactory(mission=mission),
    "missions.membership": _membership,
    "threats.threat": lambda mission: ThreatFactory(mission=mission),
    "threats.communityatrisk": lambda mission: CommunityAtRiskFactory(
        threat=ThreatFactory(mission=mission)
    ),
    "threats.responseaction": _threat_child(ResponseActionFactory),
    "threats.threatassessment": _threat_child(ThreatAssessmentFactory),
    "incidents.incident": lambda mission: IncidentFactory(mission=mission),
    "alerts.alert": lambda mission: AlertFactory(mission=mission),
    "activities.protectionactivity": lambda mission: ProtectionActivityFactory(mission=mission),
    "indicators.indicator": lambda mission: IndicatorFactory(),
    "indicators.indicatortarget": lambda mission: IndicatorTargetFactory(mission=mission),
    "indicators.observation": _observation,
    "indicators.rollup": _rollup,
    "audit.auditentry": _entry(lambda mission: ThreatFactory(mission=mission)),
    "commitments.priorityarea": _numbered(PriorityAreaFactory, code="area-{n}"),
    "commitments.paragraph": _numbered(ParagraphFactory),
    "commitments.keyelement": lambda mission: KeyElementFactory(),
    "commitments.tier": _numbered(TierFactory),
    "commitments.phase": _numbered(PhaseFactory),
    "commitments.commitmentimplementation": lambda mission: CommitmentImplementationFactory(
        mission=mission
    ),
    "commitments.commitmentaction": lambda mission: CommitmentActionFactory(
        implementation=CommitmentImplementationFactory(mission=mission)
    ),
    "incidents.graveviolation": _numbered(GraveViolationFactory),
    "imports.incidentimport": lambda mission: IncidentImport.objects.create(
        mission=mission, file_name="ged.csv", preset="ucdp-ged", source_name="UCDP GED"
    ),
}

# Restricted records, which only those with a need to know may see.
RESTRICTED: dict[str, Callable[[Mission], models.Model]] = {
    "incidents.incident": lambda mission: IncidentFactory(mission=mission, sexual_violence=True),
    "audit.auditentry": _entry(
        lambda mission: IncidentFactory(mission=mission, sexual_violence=True)
    ),
}


def make_record(model: type[models.Model], mission: Mission, *, restricted: bool = False) -> Any:
    """A record of `model` in `mission` (for missions themselves: `mission`)."""
    label = model._meta.label_lower
    table = RESTRICTED if restricted else RECORDS
    assert label in table, f"tests/api/routes.py has no record for {label}: add one"
    return table[label](mission)
