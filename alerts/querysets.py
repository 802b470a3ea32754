from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

from missions.models import Mission
from missions.querysets import MissionScopedQuerySet

from .choices import AlertOutcome

if TYPE_CHECKING:
    from .models import Alert  # noqa: F401 - the type argument of the base class


class AlertQuerySet(MissionScopedQuerySet["Alert"]):
    def received_between(self, start: datetime.datetime, end: datetime.datetime) -> AlertQuerySet:
        return self.filter(received_at__gte=start, received_at__lt=end)

    def awaiting_response(self) -> AlertQuerySet:
        return self.filter(arrived_at__isnull=True)

    def past_standard(
        self, now: datetime.datetime, missions: Iterable[Mission] | None = None
    ) -> AlertQuerySet:
        """Alerts still awaiting a response on the ground at `now` although their mission's
        response standard has passed (false alarms need none): those the share answered
        within the standard counts missed.

        One condition per standard in use (missions share a few), read from `missions` when
        the caller holds them, else from the database. (Hours times an interval is not SQL
        that SQLite's durations take.)
        """
        standards = (
            {m.alert_response_standard_hours for m in missions}
            if missions is not None
            else Mission.objects.values_list("alert_response_standard_hours", flat=True)
            .order_by()
            .distinct()
        )
        late = models.Q(pk__in=[])
        for hours in sorted(standards):
            late |= models.Q(
                mission__alert_response_standard_hours=hours,
                received_at__lt=now - datetime.timedelta(hours=hours),
            )
        return self.awaiting_response().exclude(outcome=AlertOutcome.FALSE_ALARM).filter(late)

    def with_response_duration(self) -> AlertQuerySet:
        """Annotate `response_duration`: arrival on the ground minus receipt (None if pending).

        Not `response_time`, which would hide the model method of that name.
        """
        return self.annotate(
            response_duration=models.ExpressionWrapper(
                models.F("arrived_at") - models.F("received_at"),
                output_field=models.DurationField(),
            )
        )
