"""Missions, their area hierarchy (sector → area of responsibility → locality) and memberships."""

import factory

from missions.choices import AreaKind, LocalityType, MissionRole
from missions.models import Area, Membership, Mission

from .accounts import UserFactory


class MissionFactory(factory.django.DjangoModelFactory):
    acronym = factory.Sequence(lambda n: f"MISSION{n}")
    name = factory.LazyAttribute(lambda m: f"{m.acronym} stabilization mission")
    host_country = "Republic of Testland"
    host_country_iso3 = "TST"
    time_zone = "Africa/Kinshasa"

    class Meta:
        model = Mission
        django_get_or_create = ("acronym",)


class AreaFactory(factory.django.DjangoModelFactory):
    """A sector: the top of a mission's hierarchy. Subclasses build the levels below it."""

    mission = factory.SubFactory(MissionFactory)
    kind = AreaKind.SECTOR
    parent = None
    name = factory.Sequence(lambda n: f"Sector {n}")

    class Meta:
        model = Area


SectorFactory = AreaFactory


class AorFactory(AreaFactory):
    """An area of responsibility, inside a new sector of the same mission unless given one."""

    kind = AreaKind.AOR
    parent = factory.SubFactory(SectorFactory, mission=factory.SelfAttribute("..mission"))
    name = factory.Sequence(lambda n: f"AOR {n}")


class LocalityFactory(AreaFactory):
    """A locality, inside a new sector → AOR chain of the same mission unless given a parent."""

    kind = AreaKind.LOCALITY
    parent = factory.SubFactory(AorFactory, mission=factory.SelfAttribute("..mission"))
    name = factory.Sequence(lambda n: f"Village {n}")
    locality_type = LocalityType.VILLAGE


class MembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    mission = factory.SubFactory(MissionFactory)
    role = MissionRole.JOC_OFFICER

    class Meta:
        model = Membership
