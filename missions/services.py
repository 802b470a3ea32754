"""Mission settings and the area hierarchy, and the guards every write service calls first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.services import model_update
from indicators.services.rollups import mission_rollups_changed

from .models import Area, Mission
from .permissions import Action

if TYPE_CHECKING:
    from accounts.models import User

# The settings every derived figure depends on: risk bands and the alert-response standard.
MISSION_SETTINGS_FIELDS = [
    "alert_response_standard_hours",
    "risk_medium_from",
    "risk_high_from",
    "risk_very_high_from",
]


def require_allowed(*, by: User, action: Action, record: models.Model) -> None:
    """Refuse unless `by` may perform `action` on `record`: a mission or one of its rows.

    The record's own scoped queryset decides, so a row's extra rules (need-to-know incidents)
    apply to writes as they do to reads.
    """
    scoped = type(record)._default_manager.for_user(by, action)  # type: ignore[attr-defined]
    if not scoped.filter(pk=record.pk).exists():
        raise PermissionDenied(_("You are not allowed to do this in this mission."))


def require_in_mission(*, mission_id: int, **records: models.Model | None) -> None:
    """Refuse related records (area, threat, ...) that belong to another mission."""
    errors = {
        name: _("This belongs to another mission.")
        for name, record in records.items()
        if record is not None and record.mission_id != mission_id  # type: ignore[attr-defined]
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mission_update_settings(*, mission: Mission, by: User, data: dict[str, Any]) -> Mission:
    """Change a mission's risk bands or alert-response standard, and rebuild its figures."""
    require_allowed(by=by, action=Action.MANAGE_MISSION, record=mission)
    mission, changed = model_update(instance=mission, data=data, fields=MISSION_SETTINGS_FIELDS)
    if changed:
        mission_rollups_changed(mission_id=mission.pk)
    return mission


@transaction.atomic
def area_create(
    *, by: User, mission: Mission, kind: str, name: str, parent: Area | None = None, **fields: Any
) -> Area:
    """Add an area to a mission's hierarchy.

    No figure changes: a new area holds no records yet, so no rollup is refreshed.
    """
    require_allowed(by=by, action=Action.MANAGE_MISSION, record=mission)
    area = Area(mission=mission, kind=kind, name=name, parent=parent, **fields)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def area_move(*, area: Area, parent: Area, by: User) -> Area:
    """Move an area under another parent, with everything below it, and rebuild the figures."""
    require_allowed(by=by, action=Action.MANAGE_MISSION, record=area)
    if area.parent_id == parent.pk:
        return area
    area.parent = parent
    area.full_clean()
    # save() recomputes the ancestor columns and carries an AOR's localities along
    area.save(update_fields=["parent", "sector", "aor", "updated_at"])
    mission_rollups_changed(mission_id=area.mission_id)
    return area
