"""Indicators, their targets, and hand-logged observations with their values and history."""

import datetime

import factory

from core.choices import Component, SexAge
from indicators.choices import (
    CombinationMethod,
    DataSource,
    Frequency,
    ObservationState,
    Polarity,
    Unit,
)
from indicators.models import (
    Indicator,
    IndicatorTarget,
    Observation,
    ObservationTransition,
    ObservationValue,
)

from .accounts import UserFactory
from .missions import MissionFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A hand-logged count, coded apart from the indicators that ship with the app."""

    code = factory.Sequence(lambda n: f"test-{n}")
    name = factory.Sequence(lambda n: f"Community alert networks functioning {n}")
    definition = "Networks that answered a test call in the period."
    unit = Unit.COUNT
    method = CombinationMethod.SUM
    polarity = Polarity.HIGHER_IS_BETTER
    frequency = Frequency.MONTHLY
    responsible_component = Component.JOC
    source = DataSource.MANUAL
    data_source = "JOC weekly report"

    class Meta:
        model = Indicator


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    indicator = factory.SubFactory(IndicatorFactory)
    mission = factory.SubFactory(MissionFactory)
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    baseline = 10
    target = 25

    class Meta:
        model = IndicatorTarget


class ObservationFactory(factory.django.DjangoModelFactory):
    """A mission-wide draft for March 2026; pass `area` for one area's figure."""

    indicator = factory.SubFactory(IndicatorFactory)
    mission = factory.SubFactory(MissionFactory)
    area = None
    period_start = datetime.date(2026, 3, 1)
    period_end = datetime.date(2026, 3, 31)
    state = ObservationState.DRAFT

    class Meta:
        model = Observation


class ObservationValueFactory(factory.django.DjangoModelFactory):
    observation = factory.SubFactory(ObservationFactory)
    disaggregation = SexAge.TOTAL
    value = 12

    class Meta:
        model = ObservationValue


class ObservationTransitionFactory(factory.django.DjangoModelFactory):
    observation = factory.SubFactory(ObservationFactory)
    from_state = ObservationState.DRAFT
    to_state = ObservationState.SUBMITTED
    by = factory.SubFactory(UserFactory)

    class Meta:
        model = ObservationTransition
