"""Protection activities."""

import datetime

import factory

from activities.choices import ActivityType
from activities.models import ProtectionActivity
from core.choices import Component

from .commitments import PhaseFactory, TierFactory
from .missions import LocalityFactory, MissionFactory


class ProtectionActivityFactory(factory.django.DjangoModelFactory):
    mission = factory.SubFactory(MissionFactory)
    area = factory.SubFactory(LocalityFactory, mission=factory.SelfAttribute("..mission"))
    activity_type = ActivityType.PATROL
    title = factory.Sequence(lambda n: f"Night patrol {n}")
    tier = factory.SubFactory(TierFactory, number=2)
    phase = factory.SubFactory(PhaseFactory)
    component = Component.MILITARY
    started_on = datetime.date(2026, 3, 1)
    women = 40
    men = 35
    girls = 20
    boys = 18

    class Meta:
        model = ProtectionActivity


ActivityFactory = ProtectionActivityFactory
