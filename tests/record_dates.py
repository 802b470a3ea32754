"""The record-date window in tests: every field it guards, the dates to try, and the checks.

tests/test_record_dates.py runs three checks over every field (`CASE_PARAMS`): a date outside
the window is a field error from `full_clean`, the window's first and last days are not, and
the database refuses a far date written around the validator. Time is frozen on
TODAY, so the window ends on LAST.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from activities.models import ProtectionActivity
from alerts.models import Alert
from commitments.choices import ActionStatus
from commitments.models import CommitmentAction, CommitmentImplementation
from incidents.models import Incident
from indicators.models import IndicatorTarget, Observation
from missions.models import Mission
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import CommitmentActionFactory, CommitmentImplementationFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import IndicatorTargetFactory, ObservationFactory
from tests.factories.missions import MissionFactory
from tests.factories.threats import (
    ResponseActionFactory,
    ThreatAssessmentFactory,
    ThreatFactory,
)
from tests.integrity import rejected_by
from threats.choices import ThreatStatus
from threats.models import ResponseAction, Threat, ThreatAssessment

TODAY = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
FIRST = datetime.date(1900, 1, 1)
LAST = datetime.date(2027, 12, 1)  # one year after TODAY
UTC = datetime.UTC


@dataclass(frozen=True)
class Case:
    """A date field a user enters, how to make a valid record of its model, and its order.

    `after` / `before`: a field this one may not precede / follow (an end after its start), so
    a far date on that side breaks that rule too and the database may name either check.
    """

    model: type[models.Model]
    field: str
    factory: Callable[[], models.Model]
    after: str | None = None
    before: str | None = None

    @property
    def timestamp(self) -> bool:
        return isinstance(self.model._meta.get_field(self.field), models.DateTimeField)

    @property
    def constraint(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{self.field}_in_range"


# a closing date only on a resolved threat, a date done only on a done action
RESOLVED = {"status": ThreatStatus.RESOLVED, "closed_on": datetime.date(2026, 6, 1)}
# an assessment superseded on a later day
SUPERSEDED = {"valid_from": datetime.date(2026, 2, 1), "valid_to": datetime.date(2026, 3, 1)}
CASES = [
    Case(Incident, "occurred_on", IncidentFactory),
    Case(Incident, "ended_on", IncidentFactory, after="occurred_on"),
    Case(Alert, "received_at", AlertFactory),
    Case(Alert, "acknowledged_at", AlertFactory, after="received_at"),
    Case(Alert, "deployed_at", AlertFactory, after="received_at"),
    Case(Alert, "arrived_at", AlertFactory, after="received_at"),
    Case(ProtectionActivity, "started_on", ProtectionActivityFactory),
    Case(ProtectionActivity, "ended_on", ProtectionActivityFactory, after="started_on"),
    Case(Threat, "identified_on", ThreatFactory),
    Case(Threat, "closed_on", partial(ThreatFactory, **RESOLVED), after="identified_on"),
    Case(Threat, "next_review_on", ThreatFactory),
    Case(ResponseAction, "due_on", ResponseActionFactory),
    Case(ThreatAssessment, "valid_from", ThreatAssessmentFactory),
    Case(
        ThreatAssessment,
        "valid_to",
        partial(ThreatAssessmentFactory, **SUPERSEDED),
        after="valid_from",
    ),
    Case(Observation, "period_start", ObservationFactory, before="period_end"),
    Case(Observation, "period_end", ObservationFactory, after="period_start"),
    Case(IndicatorTarget, "period_start", IndicatorTargetFactory, before="period_end"),
    Case(IndicatorTarget, "period_end", IndicatorTargetFactory, after="period_start"),
    Case(CommitmentImplementation, "due_on", CommitmentImplementationFactory),
    Case(CommitmentImplementation, "last_reviewed_on", CommitmentImplementationFactory),
    Case(CommitmentAction, "due_on", CommitmentActionFactory),
    Case(CommitmentAction, "done_on", partial(CommitmentActionFactory, status=ActionStatus.DONE)),
    Case(Mission, "mandate_adopted_on", MissionFactory),
    Case(Mission, "reporting_from", MissionFactory),
    Case(Mission, "mandate_expires_on", MissionFactory),
]

# The days to try, each with the instant a timestamp field gets for it.
OUTSIDE = {
    "day-before-first": (datetime.date(1899, 12, 31), datetime.datetime.max.time()),
    "day-after-last": (datetime.date(2027, 12, 2), datetime.time.min),
    "year-1": (datetime.date(1, 1, 1), datetime.time.min),
    "year-9999": (datetime.date(9999, 12, 31), datetime.datetime.max.time()),
}
BOUNDARIES = {
    "first": (FIRST, datetime.time.min),
    "last": (LAST, datetime.datetime.max.time()),
}
# Written straight to the database: one far date on each side.
FAR = {"1800": datetime.date(1800, 1, 1), "9999": datetime.date(9999, 12, 31)}


CASE_PARAMS = [pytest.param(case, id=f"{case.model.__name__}.{case.field}") for case in CASES]


def value_for(
    case: Case, day: datetime.date, time: datetime.time = datetime.time.min
) -> datetime.date | datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=UTC) if case.timestamp else day


def field_error_codes(case: Case, value: datetime.date | datetime.datetime) -> list[str]:
    """The codes of the errors `full_clean` reports on the case's field given `value`."""
    record = case.factory()
    setattr(record, case.field, value)
    try:
        record.full_clean()
    except ValidationError as error:
        return [e.code for e in error.error_dict.get(case.field, [])]
    return []


def assert_database_refuses(case: Case, day: datetime.date) -> None:
    """A raw update around the validator fails; with the field's own check named when no
    other rule of the row breaks with it."""
    record = case.factory()
    partner_name = case.after or case.before
    partner = getattr(record, partner_name) if partner_name else None
    if isinstance(partner, datetime.datetime):
        partner = partner.astimezone(UTC).date()
    collides = partner is not None and (day < partner if case.after else day > partner)
    queryset = case.model._default_manager.filter(pk=record.pk)
    if collides:
        with pytest.raises(IntegrityError), transaction.atomic():
            queryset.update(**{case.field: value_for(case, day)})
    else:
        with rejected_by(case.constraint):
            queryset.update(**{case.field: value_for(case, day)})
