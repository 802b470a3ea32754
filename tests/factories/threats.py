"""Threats, the communities they put at risk, and their response plans."""

import datetime

import factory

from core.choices import Component
from threats.choices import PerpetratorCategory, ThreatStatus, ViolenceType
from threats.models import CommunityAtRisk, ResponseAction, Threat

from .commitments import PhaseFactory, TierFactory
from .missions import LocalityFactory, MissionFactory


class ThreatFactory(factory.django.DjangoModelFactory):
    mission = factory.SubFactory(MissionFactory)
    title = factory.Sequence(lambda n: f"Armed group raids on villages {n}")
    threat_type = ViolenceType.KILLING_MAIMING
    perpetrator_category = PerpetratorCategory.NON_STATE_ARMED_GROUP
    likelihood = 3
    impact = 3
    phase = factory.SubFactory(PhaseFactory)
    status = ThreatStatus.ACTIVE
    identified_on = datetime.date(2026, 1, 15)

    class Meta:
        model = Threat
        skip_postgeneration_save = True

    @factory.post_generation
    def areas(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.areas.set(extracted)


class CommunityAtRiskFactory(factory.django.DjangoModelFactory):
    threat = factory.SubFactory(ThreatFactory)
    mission = factory.SelfAttribute("threat.mission")
    name = factory.Sequence(lambda n: f"Community {n}")
    area = factory.SubFactory(LocalityFactory, mission=factory.SelfAttribute("..mission"))
    women = 120
    men = 100
    girls = 80
    boys = 75

    class Meta:
        model = CommunityAtRisk


class ResponseActionFactory(factory.django.DjangoModelFactory):
    threat = factory.SubFactory(ThreatFactory)
    tier = factory.SubFactory(TierFactory)
    phase = factory.SubFactory(PhaseFactory)
    description = factory.Sequence(lambda n: f"Response action {n}")
    component = Component.MILITARY

    class Meta:
        model = ResponseAction
