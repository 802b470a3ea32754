"""Who may do what: the role × action policy, declared once.

Querysets (`MissionScopedQuerySet.for_user`) and, later, the API's permission classes both read
this table, so scoping is decided in one place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from accounts.choices import GlobalRole

from .choices import MissionRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class Action(StrEnum):
    VIEW = "view"
    VIEW_RESTRICTED = "view_restricted"  # sexual violence, grave violations against children
    LOG = "log"  # incidents, alerts, activities, observations
    MANAGE_THREATS = "manage_threats"
    VALIDATE = "validate"  # observations: validate, return, reopen
    MANAGE_COMMITMENTS = "manage_commitments"
    MANAGE_MISSION = "manage_mission"  # areas, memberships, mission settings


MISSION_POLICY: dict[str, frozenset[Action]] = {
    MissionRole.LEADERSHIP: frozenset({Action.VIEW, Action.VIEW_RESTRICTED}),
    MissionRole.POC_ADVISER: frozenset(
        {
            Action.VIEW,
            Action.VIEW_RESTRICTED,
            Action.LOG,
            Action.MANAGE_THREATS,
            Action.VALIDATE,
            Action.MANAGE_COMMITMENTS,
        }
    ),
    MissionRole.JMAC_ANALYST: frozenset({Action.VIEW, Action.LOG, Action.MANAGE_THREATS}),
    MissionRole.JOC_OFFICER: frozenset({Action.VIEW, Action.LOG}),
    MissionRole.SECTION_STAFF: frozenset({Action.VIEW, Action.LOG}),
}

GLOBAL_POLICY: dict[str, frozenset[Action]] = {
    GlobalRole.SECRETARIAT: frozenset({Action.VIEW}),
    GlobalRole.ADMINISTRATOR: frozenset(Action),
}


def roles_allowed(action: Action) -> list[str]:
    """Mission roles whose members may perform `action` in their mission."""
    return [role for role, actions in MISSION_POLICY.items() if action in actions]


def global_allows(user: User | AnonymousUser, action: Action) -> bool:
    """Whether the user's global role lets them perform `action` in every mission."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return action in GLOBAL_POLICY.get(user.global_role, frozenset())
