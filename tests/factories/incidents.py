"""Incidents and the grave violations against children they can involve."""

import datetime

import factory

from incidents.choices import SourceType
from incidents.models import GraveViolation, Incident
from threats.choices import PerpetratorCategory, ViolenceType

from .missions import LocalityFactory, MissionFactory


class GraveViolationFactory(factory.django.DjangoModelFactory):
    """Gets the shipped violation of that number, or makes one."""

    number = 1
    code = factory.LazyAttribute(lambda gv: f"violation-{gv.number}")
    label = factory.LazyAttribute(lambda gv: f"Violation {gv.number}")

    class Meta:
        model = GraveViolation
        django_get_or_create = ("number",)


class IncidentFactory(factory.django.DjangoModelFactory):
    mission = factory.SubFactory(MissionFactory)
    area = factory.SubFactory(LocalityFactory, mission=factory.SelfAttribute("..mission"))
    occurred_on = datetime.date(2026, 3, 10)
    incident_type = ViolenceType.KILLING_MAIMING
    perpetrator_category = PerpetratorCategory.NON_STATE_ARMED_GROUP
    source_type = SourceType.UN_PATROL

    class Meta:
        model = Incident
        skip_postgeneration_save = True

    class Params:
        sexual_violence = factory.Trait(
            incident_type=ViolenceType.SEXUAL_VIOLENCE, is_restricted=True, sv_women=1
        )

    @factory.post_generation
    def grave_violations(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.grave_violations.set(extracted)
