"""Missions, their settings, the area hierarchy and who belongs to each mission."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alerts.models import Alert
from core.services import create_record, delete_record, editable_fields, update_record
from indicators.services.rollups import mission_rollups_changed

from .models import Area, Membership, Mission

if TYPE_CHECKING:
    from accounts.models import User

# The settings every derived figure depends on: risk bands and the alert-response standard.
MISSION_SETTINGS_FIELDS = [
    "alert_response_standard_hours",
    "risk_medium_from",
    "risk_high_from",
    "risk_very_high_from",
]
MISSION_FIELDS = editable_fields(Mission)
# An area's place in the hierarchy moves only through area_move.
AREA_FIELDS = editable_fields(Area, exclude={"mission", "kind", "parent"})


def require_areas_in_mission(*, mission_id: int, areas: Iterable[Area]) -> None:
    """Refuse areas of another mission in a many-to-many set (forms only check single links)."""
    if any(area.mission_id != mission_id for area in areas):
        raise ValidationError({"areas": _("This belongs to another mission.")})


@transaction.atomic
def mission_create(*, by: User, **fields: Any) -> Mission:
    """Open a mission; its areas, staff and figures follow."""
    return create_record(by=by, instance=Mission(**fields))


def _redate_alerts(mission: Mission) -> None:
    """Date a mission's alerts again on their local day, after its time zone changed.

    Not audited: the day is derived from the receipt, which stays as recorded. One pass over
    the mission's alerts: a zone changes rarely.
    """
    moved = []
    for alert in Alert.objects.filter(mission=mission).only("pk", "received_at", "received_on"):
        day = mission.local_date(alert.received_at)
        if day != alert.received_on:
            alert.received_on = day
            moved.append(alert)
    Alert.objects.bulk_update(moved, ["received_on"], batch_size=1000)


@transaction.atomic
def mission_update(*, mission: Mission, by: User, data: dict[str, Any]) -> Mission:
    """Change a mission's details or settings; new risk bands, standard or time zone rebuild
    its figures."""
    zone = mission.time_zone
    mission, changed = update_record(by=by, instance=mission, data=data, fields=MISSION_FIELDS)
    if mission.time_zone != zone:
        # every record counts on its local day: the alerts' stored days move with the zone
        _redate_alerts(mission)
    if changed and any(name in data for name in [*MISSION_SETTINGS_FIELDS, "time_zone"]):
        mission_rollups_changed(mission_id=mission.pk)
    return mission


@transaction.atomic
def mission_update_settings(*, mission: Mission, by: User, data: dict[str, Any]) -> Mission:
    """Change only a mission's risk bands or alert-response standard, and rebuild its figures."""
    settings = {name: value for name, value in data.items() if name in MISSION_SETTINGS_FIELDS}
    return mission_update(mission=mission, by=by, data=settings)


@transaction.atomic
def mission_delete(*, mission: Mission, by: User) -> None:
    """Delete a mission with everything it holds; its audit trail stays."""
    delete_record(by=by, instance=mission)


@transaction.atomic
def area_create(
    *, by: User, mission: Mission, kind: str, name: str, parent: Area | None = None, **fields: Any
) -> Area:
    """Add an area to a mission's hierarchy.

    No figure changes: a new area holds no records yet, so no rollup is refreshed.
    """
    area = Area(mission=mission, kind=kind, name=name, parent=parent, **fields)
    return create_record(by=by, instance=area)


@transaction.atomic
def area_update(*, area: Area, by: User, data: dict[str, Any]) -> Area:
    """Rename an area or change its codes, coordinates or phase; a move goes through area_move."""
    area, _changed = update_record(by=by, instance=area, data=data, fields=AREA_FIELDS)
    return area


@transaction.atomic
def area_move(*, area: Area, parent: Area, by: User) -> Area:
    """Move an area under another parent, with everything below it, and rebuild the figures."""
    # save() recomputes the ancestor columns and carries an AOR's localities along
    area, changed = update_record(by=by, instance=area, data={"parent": parent}, fields=["parent"])
    if changed:
        mission_rollups_changed(mission_id=area.mission_id)
    return area


@transaction.atomic
def area_delete(*, area: Area, by: User) -> None:
    """Delete an area that holds no records and no areas below it."""
    delete_record(by=by, instance=area)


@transaction.atomic
def membership_create(*, by: User, user: User, mission: Mission, role: str) -> Membership:
    """Give a user a role in a mission."""
    return create_record(by=by, instance=Membership(user=user, mission=mission, role=role))


@transaction.atomic
def membership_update(*, membership: Membership, by: User, role: str) -> Membership:
    """Change the role a user holds in a mission."""
    membership, _changed = update_record(
        by=by, instance=membership, data={"role": role}, fields=["role"]
    )
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, by: User) -> None:
    """Take a user out of a mission."""
    delete_record(by=by, instance=membership)
