"""Threats, the communities they put at risk, and their response plans."""

import datetime

import factory

from core.choices import Component
from threats.choices import PerpetratorCategory, ThreatStatus, ViolenceType
from threats.models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

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

    @factory.post_generation
    def assessments(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        # the first assessment, as threat_create writes it: the figures read the history.
        # `assessments=False` leaves it out (a threat nothing refers to yet).
        if create and extracted is not False:
            ThreatAssessment.objects.create(
                threat=self,
                mission_id=self.mission_id,
                valid_from=self.identified_on,
                likelihood=self.likelihood,
                impact=self.impact,
                trend=self.trend,
                phase_id=self.phase_id,
                assessed_at=self.created_at,
            )


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


class ThreatAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment of a threat, its only one unless the test gives it others."""

    threat = factory.SubFactory(ThreatFactory, assessments=False)
    mission = factory.SelfAttribute("threat.mission")
    valid_from = factory.Sequence(lambda n: datetime.date(2026, 2, 1) + datetime.timedelta(days=n))
    valid_to = None
    likelihood = 4
    impact = 4
    phase = factory.SubFactory(PhaseFactory)
    assessed_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)
    )

    class Meta:
        model = ThreatAssessment
