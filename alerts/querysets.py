from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models

from missions.querysets import MissionScopedQuerySet

if TYPE_CHECKING:
    from .models import Alert  # noqa: F401 - the type argument of the base class


class AlertQuerySet(MissionScopedQuerySet["Alert"]):
    def received_between(self, start: datetime.datetime, end: datetime.datetime) -> AlertQuerySet:
        return self.filter(received_at__gte=start, received_at__lt=end)

    def awaiting_response(self) -> AlertQuerySet:
        return self.filter(arrived_at__isnull=True)

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
