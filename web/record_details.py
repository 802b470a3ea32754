"""What an incident's and an alert's pages show beyond their fields: the casualties by harm and
by sex and age, and an alert's steps against the mission's response standard."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.choices import AlertOutcome, Severity
from incidents.choices import CASUALTY_GROUPS, Harm, casualty_field

if TYPE_CHECKING:
    from alerts.models import Alert
    from incidents.models import Incident

GROUP_LABELS: dict[str, Promise] = {
    "women": gettext_lazy("Women"),
    "men": gettext_lazy("Men"),
    "girls": gettext_lazy("Girls"),
    "boys": gettext_lazy("Boys"),
    "unknown": gettext_lazy("Sex or age unknown"),
}


@dataclass(frozen=True)
class CasualtyRow:
    harm: str
    counts: list[int]  # in the order of CASUALTY_GROUPS
    total: int


def casualty_rows(incident: Incident) -> list[CasualtyRow]:
    """One row per harm, its count among each sex-age group and its total."""
    rows = []
    for harm in Harm:
        counts = [getattr(incident, casualty_field(harm, group)) for group in CASUALTY_GROUPS]
        rows.append(CasualtyRow(harm=str(harm.label), counts=counts, total=sum(counts)))
    return rows


def group_labels() -> list[Promise]:
    return [GROUP_LABELS[group] for group in CASUALTY_GROUPS]


@dataclass(frozen=True)
class Step:
    """One step of an alert's answer: when it happened, how long after receipt, and whether that
    was within the mission's standard (None where the standard does not judge it yet)."""

    label: str
    at: datetime.datetime | None
    elapsed: str
    within_standard: bool | None
    note: str = ""


def elapsed_text(elapsed: datetime.timedelta) -> str:
    minutes = int(elapsed.total_seconds()) // 60
    return _("%(hours)s h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _judged(
    at: datetime.datetime | None,
    received: datetime.datetime,
    deadline: datetime.datetime,
    now: datetime.datetime,
) -> tuple[str, bool | None]:
    """A step reached is within the standard when it came by the deadline; a step not reached
    fails it once the deadline has passed, and is not judged before."""
    if at is not None:
        return elapsed_text(at - received), at <= deadline
    return "", False if now > deadline else None


def response_deadline(alert: Alert) -> datetime.datetime:
    """When the response must be on the ground under the mission's standard."""
    return alert.received_at + datetime.timedelta(hours=alert.mission.alert_response_standard_hours)


def alert_timeline(alert: Alert, *, now: datetime.datetime) -> list[Step]:
    """Receipt, acknowledgement, deployment, arrival and closing, in that order.

    Arrival is judged by the alert's own `answered_within_standard`, the rule the figures count;
    the steps before it by whether they came within the same hours, since a response cannot
    arrive in time after leaving late. Closing has no time of its own: it is the outcome.
    """
    received = alert.received_at
    deadline = response_deadline(alert)
    steps = [Step(label=_("Received"), at=received, elapsed="", within_standard=None)]
    for label, at in (
        (_("Acknowledged"), alert.acknowledged_at),
        (_("Response deployed"), alert.deployed_at),
    ):
        elapsed, within = _judged(at, received, deadline, now)
        steps.append(Step(label=label, at=at, elapsed=elapsed, within_standard=within))
    elapsed, within = _judged(alert.arrived_at, received, deadline, now)
    if alert.arrived_at is not None:
        within = alert.answered_within_standard()
    steps.append(
        Step(
            label=_("Response arrived"),
            at=alert.arrived_at,
            elapsed=elapsed,
            within_standard=within,
        )
    )
    closed = alert.outcome != AlertOutcome.PENDING
    steps.append(
        Step(
            label=_("Closed"),
            at=None,
            elapsed="",
            within_standard=None,
            note=alert.get_outcome_display() if closed else _("Open: no outcome yet"),
        )
    )
    return steps


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    response_time: str
    within_standard: bool | None
    severity_class: str


def alert_rows(alerts: Iterable[Alert]) -> list[AlertRow]:
    """The list's rows: each alert with its response time and whether it met the standard
    (its mission loaded with it, so no row costs a query)."""
    rows = []
    for alert in alerts:
        elapsed = alert.response_time()
        rows.append(
            AlertRow(
                alert=alert,
                response_time=elapsed_text(elapsed) if elapsed is not None else "",
                within_standard=alert.answered_within_standard(),
                severity_class=Severity(alert.severity).css_class,
            )
        )
    return rows
