"""Early-warning alerts."""

import datetime

import factory

from alerts.choices import AlertSource, Severity
from alerts.models import Alert

from .missions import LocalityFactory, MissionFactory

RECEIVED_AT = datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC)


class AlertFactory(factory.django.DjangoModelFactory):
    mission = factory.SubFactory(MissionFactory)
    area = factory.SubFactory(LocalityFactory, mission=factory.SelfAttribute("..mission"))
    source = AlertSource.COMMUNITY_ALERT_NETWORK
    severity = Severity.HIGH
    summary = factory.Sequence(lambda n: f"Armed men seen near the village {n}")
    received_at = RECEIVED_AT
    # the local day the services store with it
    received_on = factory.LazyAttribute(lambda a: a.mission.local_date(a.received_at))

    class Meta:
        model = Alert
