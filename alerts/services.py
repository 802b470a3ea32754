"""Log early-warning alerts and follow them from acknowledgement to the response's outcome."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_creations, audit_snapshot, audit_update
from core.batches import (
    INSERT_ROWS,
    BatchError,
    clean_new,
    client_id_conflicts,
    collect,
    create_in_batch,
)
from core.services import create_record, editable_fields, update_record, validate_field
from core.validators import validate_record_date
from indicators.rollups.ranges import BucketRange
from indicators.services.rollups import (
    ALERT_DERIVATIONS,
    delete_refreshing,
    record_ranges,
    rollups_changed,
    update_refreshing,
)
from missions.models import Area, Mission
from missions.permissions import Verb, require, require_each

from .choices import AlertOutcome
from .models import Alert

if TYPE_CHECKING:
    from accounts.models import User
    from commitments.models import Tier

ALERT_FIELDS = editable_fields(Alert, exclude={"mission", "logged_by"})


def rollup_ranges(alert: Alert) -> list[BucketRange]:
    # alerts count on the local day they were received, as the rollup engine reads them
    return record_ranges(
        derivations=ALERT_DERIVATIONS,
        mission_id=alert.mission_id,
        area_id=alert.area_id,
        start=alert.received_on,
    )


def _received_on(mission: Mission, received_at: Any) -> datetime.date | None:
    """The local day of a receipt; None for a value that is no instant (validation says why)."""
    try:
        instant = Alert._meta.get_field("received_at").to_python(received_at)
    except ValidationError:
        return None
    return mission.local_date(instant) if isinstance(instant, datetime.datetime) else None


@transaction.atomic
def alert_create(*, by: User, mission: Mission, area: Area, **fields: Any) -> Alert:
    """Log an early-warning alert received in a mission."""
    alert = Alert(mission=mission, area=area, logged_by=by, **fields)
    if (day := _received_on(mission, alert.received_at)) is not None:
        alert.received_on = day
    alert = create_record(by=by, instance=alert)
    rollups_changed(rollup_ranges(alert))
    return alert


def _new_alert(by: User, row: Mapping[str, Any]) -> Alert:
    alert = Alert(logged_by=by, **row)
    if (day := _received_on(alert.mission, alert.received_at)) is not None:
        alert.received_on = day
    return alert


def _insert(by: User, alerts: list[Alert]) -> list[Alert]:
    """Check the new alerts without a query each, then write them in a few statements."""
    refused: dict[int, ValidationError] = {}
    for index, alert in enumerate(alerts):
        try:
            clean_new(alert)
        except ValidationError as error:
            refused[index] = error
    for index, conflict in client_id_conflicts(alerts).items():
        collect(refused, index, conflict)
    if refused:
        raise BatchError(refused)
    Alert.objects.bulk_create(alerts, batch_size=INSERT_ROWS)
    audit_creations(by=by, created=[(alert, audit_snapshot(alert)) for alert in alerts])
    rollups_changed([r for alert in alerts for r in rollup_ranges(alert)])
    return alerts


@transaction.atomic
def alert_bulk_create(*, by: User, rows: Sequence[Mapping[str, Any]]) -> list[Alert]:
    """Log many early-warning alerts at once, as `alert_create` logs one: all, or none.

    Each is on the audit trail; the figures they move are refreshed once, on commit.
    """
    alerts = [_new_alert(by, row) for row in rows]
    require_each(by, Verb.CREATE, alerts)
    return create_in_batch(
        rows, insert=lambda _rows: _insert(by, alerts), one=lambda row: alert_create(by=by, **row)
    )


@transaction.atomic
def alert_update(*, alert: Alert, by: User, data: dict[str, Any]) -> Alert:
    """Correct an alert, and refresh the figures of the day it was and now is received."""
    fields = ALERT_FIELDS
    if "received_at" in data:  # its local day moves with it
        data = {**data, "received_on": _received_on(alert.mission, data["received_at"])}
        fields = [*ALERT_FIELDS, "received_on"]
    return update_refreshing(alert, by=by, data=data, fields=fields, ranges=rollup_ranges)


@transaction.atomic
def alert_delete(*, alert: Alert, by: User) -> None:
    """Delete an alert and take it out of the figures."""
    delete_refreshing(alert, by=by, ranges=rollup_ranges)


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: User, at: datetime.datetime | None = None) -> Alert:
    """Record that the mission acknowledged an alert; the first acknowledgement stands.

    A conditional update: of two officers acknowledging at once only one writes, and a retried
    request changes nothing.
    """
    require(by, Verb.ACKNOWLEDGE, alert)
    at = at or timezone.now()
    validate_field(at, name="acknowledged_at", validators=[validate_record_date])
    if at < alert.received_at:
        raise ValidationError(
            {"acknowledged_at": _("This cannot be before the alert was received.")}
        )
    claimed = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=at, updated_at=timezone.now()
    )
    before = audit_snapshot(alert)
    alert.refresh_from_db(fields=["acknowledged_at", "updated_at"])
    if claimed:
        audit_update(by=by, instance=alert, before=before, action=AuditAction.ACKNOWLEDGE)
        # no figure counts acknowledgements, but each figure's "as of" moves with the record
        rollups_changed(rollup_ranges(alert))
    return alert


@transaction.atomic
def alert_record_response(
    *,
    alert: Alert,
    by: User,
    tier: Tier,
    decided: str,
    deployed_at: datetime.datetime | None = None,
    arrived_at: datetime.datetime | None = None,
    outcome: str = AlertOutcome.PENDING,
) -> Alert:
    """Record the response to an alert as it now stands: decided, deployed, arrived, outcome.

    Recording the same response again changes nothing and refreshes no figure.
    """
    data = {
        "response_tier": tier,
        "response_decided": decided,
        "deployed_at": deployed_at,
        "arrived_at": arrived_at,
        "outcome": outcome,
    }
    alert, changed = update_record(
        by=by, instance=alert, data=data, fields=list(data), verb=Verb.RESPOND
    )
    if changed:
        rollups_changed(rollup_ranges(alert))
    return alert
