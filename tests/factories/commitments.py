"""The A4P frame, tiers and phases, and a mission's commitment implementation.

Tiers, phases and paragraph 10 ship as reference data, so their factories get or create by
number (or code) and return the shipped row when it is there.
"""

import factory

from commitments.choices import ActionStatus, ImplementationStatus
from commitments.models import (
    CommitmentAction,
    CommitmentImplementation,
    KeyElement,
    Paragraph,
    Phase,
    PriorityArea,
    Tier,
)
from core.choices import Component

from .missions import MissionFactory


class TierFactory(factory.django.DjangoModelFactory):
    number = 1
    label = factory.LazyAttribute(lambda tier: f"Tier {tier.number}")

    class Meta:
        model = Tier
        django_get_or_create = ("number",)


class PhaseFactory(factory.django.DjangoModelFactory):
    number = 1
    label = factory.LazyAttribute(lambda phase: f"Phase {phase.number}")

    class Meta:
        model = Phase
        django_get_or_create = ("number",)


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    number = 3
    code = "protection"
    label = "Protection"

    class Meta:
        model = PriorityArea
        django_get_or_create = ("number",)


class ParagraphFactory(factory.django.DjangoModelFactory):
    number = 10
    label = "Protection of civilians"
    priority_area = factory.SubFactory(PriorityAreaFactory)

    class Meta:
        model = Paragraph
        django_get_or_create = ("number",)


class KeyElementFactory(factory.django.DjangoModelFactory):
    """A new key element of paragraph 10, numbered past the four that ship with the app."""

    paragraph = factory.SubFactory(ParagraphFactory)
    number = factory.Sequence(lambda n: 100 + n)
    code = factory.Sequence(lambda n: f"test-element-{n}")
    label = factory.Sequence(lambda n: f"Test element {n}")

    class Meta:
        model = KeyElement


class CommitmentImplementationFactory(factory.django.DjangoModelFactory):
    mission = factory.SubFactory(MissionFactory)
    key_element = factory.SubFactory(KeyElementFactory)
    status = ImplementationStatus.IN_PROGRESS
    responsible_component = Component.POC_UNIT

    class Meta:
        model = CommitmentImplementation


class CommitmentActionFactory(factory.django.DjangoModelFactory):
    implementation = factory.SubFactory(CommitmentImplementationFactory)
    description = factory.Sequence(lambda n: f"Commitment action {n}")
    component = Component.CIVIL_AFFAIRS
    status = ActionStatus.PLANNED

    class Meta:
        model = CommitmentAction
