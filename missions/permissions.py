"""Who may do what: the role × action policy and the write policy, declared once.

Every layer asks this module: the scoped querysets (`MissionScopedQuerySet.for_user`), the write
services (`require`), the admin's `has_*_permission`, and later the API's permission classes and
the pages' buttons (`can`). A write is decided by two tables: `WRITE_POLICY` says which `Action`
each verb on each model needs, and `MISSION_POLICY` / `GLOBAL_POLICY` say who holds that action.
The record's own scoped queryset then applies its extra rules (need-to-know on restricted
incidents), so a write is allowed exactly when the record is among those the user may act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.choices import GlobalRole

from .choices import MissionRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

    from accounts.models import User


class Action(StrEnum):
    VIEW = "view"
    VIEW_RESTRICTED = "view_restricted"  # sexual violence, grave violations against children
    LOG = "log"  # incidents, alerts, activities, observations
    MANAGE_THREATS = "manage_threats"  # the threat register, communities, response plans
    VALIDATE = "validate"  # observations: validate, return, reopen
    MANAGE_TARGETS = "manage_targets"  # a mission's baselines and targets
    MANAGE_COMMITMENTS = "manage_commitments"
    MANAGE_MISSION = "manage_mission"  # areas, memberships, mission settings
    ADMINISTER = "administer"  # users, missions themselves, reference data: global only


class Verb(StrEnum):
    """The writes a record can undergo: the three plain ones and the workflow steps."""

    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    UNRESTRICT = "unrestrict"  # lift an incident's need-to-know restriction
    CLOSE = "close"
    ACKNOWLEDGE = "acknowledge"
    RESPOND = "respond"
    SUBMIT = "submit"
    VALIDATE = "validate"
    RETURN = "return"
    REOPEN = "reopen"


MISSION_POLICY: dict[str, frozenset[Action]] = {
    MissionRole.LEADERSHIP: frozenset({Action.VIEW, Action.VIEW_RESTRICTED}),
    MissionRole.POC_ADVISER: frozenset(
        {
            Action.VIEW,
            Action.VIEW_RESTRICTED,
            Action.LOG,
            Action.MANAGE_THREATS,
            Action.VALIDATE,
            Action.MANAGE_TARGETS,
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


def _plain(action: Action) -> dict[Verb, Action]:
    return {Verb.CREATE: action, Verb.CHANGE: action, Verb.DELETE: action}


# Model label → verb → the action it needs. A model or verb missing here cannot be written by
# anyone: computed records (rollups, the calendar, histories, the audit trail) are never listed.
WRITE_POLICY: dict[str, dict[Verb, Action]] = {
    "accounts.user": _plain(Action.ADMINISTER),
    "missions.mission": {
        Verb.CREATE: Action.ADMINISTER,
        Verb.CHANGE: Action.MANAGE_MISSION,
        Verb.DELETE: Action.ADMINISTER,
    },
    "missions.area": _plain(Action.MANAGE_MISSION),
    "missions.membership": _plain(Action.MANAGE_MISSION),
    "commitments.priorityarea": _plain(Action.ADMINISTER),
    "commitments.paragraph": _plain(Action.ADMINISTER),
    "commitments.keyelement": _plain(Action.ADMINISTER),
    "commitments.tier": _plain(Action.ADMINISTER),
    "commitments.phase": _plain(Action.ADMINISTER),
    "commitments.commitmentimplementation": _plain(Action.MANAGE_COMMITMENTS),
    "commitments.commitmentaction": _plain(Action.MANAGE_COMMITMENTS),
    "threats.threat": {**_plain(Action.MANAGE_THREATS), Verb.CLOSE: Action.MANAGE_THREATS},
    "threats.communityatrisk": _plain(Action.MANAGE_THREATS),
    "threats.responseaction": _plain(Action.MANAGE_THREATS),
    "incidents.graveviolation": _plain(Action.ADMINISTER),
    "incidents.incident": {**_plain(Action.LOG), Verb.UNRESTRICT: Action.VIEW_RESTRICTED},
    "alerts.alert": {
        **_plain(Action.LOG),
        Verb.ACKNOWLEDGE: Action.LOG,
        Verb.RESPOND: Action.LOG,
    },
    "activities.protectionactivity": _plain(Action.LOG),
    # an import writes incidents, each asked again as a change where it changes one
    "imports.incidentimport": {Verb.CREATE: Action.LOG},
    "indicators.indicator": _plain(Action.ADMINISTER),
    "indicators.indicatortarget": _plain(Action.MANAGE_TARGETS),
    "indicators.observation": {
        **_plain(Action.LOG),
        Verb.SUBMIT: Action.LOG,
        Verb.VALIDATE: Action.VALIDATE,
        Verb.RETURN: Action.VALIDATE,
        Verb.REOPEN: Action.VALIDATE,
    },
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


def required_action(model: type[Model] | Model, verb: Verb) -> Action | None:
    """The action `verb` on `model` needs, or None when nobody may do it."""
    return WRITE_POLICY.get(model._meta.label_lower, {}).get(verb)


def record_mission_id(record: Model) -> int | None:
    """The id of the mission a record (saved or not) belongs to, through its `mission_field`.

    Walks the path without queries where the related rows are loaded ("threat__mission" reads
    `record.threat.mission_id`). None for records outside any mission (users, reference data).
    """
    path = getattr(record, "mission_field", None)
    if path is None:
        return None
    if path == "pk":
        pk: int | None = record.pk
        return pk
    *hops, last = path.split("__")
    target: Model | None = record
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def can(user: User | AnonymousUser, verb: Verb, record: Model) -> bool:
    """Whether `user` may perform `verb` on `record`: a saved row, or an unsaved one to create.

    A saved row is checked against its own scoped queryset, so its extra rules (need-to-know)
    apply; a new row against its mission; a row outside any mission needs the global role.
    """
    action = required_action(record, verb)
    if action is None or not user.is_authenticated or not user.is_active:
        return False
    if global_allows(user, action):
        return True
    manager = type(record)._default_manager
    if record.pk is not None and hasattr(manager, "for_user"):
        allowed: bool = manager.for_user(user, action).filter(pk=record.pk).exists()
        return allowed
    mission_id = record_mission_id(record)
    if mission_id is None:
        return False
    from .models import Membership

    return Membership.objects.filter(
        user=user, mission_id=mission_id, role__in=roles_allowed(action)
    ).exists()


def can_somewhere(user: User | AnonymousUser, verb: Verb, model: type[Model]) -> bool:
    """Whether `user` may perform `verb` on some `model` row: in any mission, or globally.

    For what is shown before a record is chosen (an "add" button, a list's bulk actions).
    """
    action = required_action(model, verb)
    if action is None or not user.is_authenticated or not user.is_active:
        return False
    if global_allows(user, action):
        return True
    if not hasattr(model, "mission_field"):
        return False
    return user.memberships.filter(role__in=roles_allowed(action)).exists()


def can_view_somewhere(user: User | AnonymousUser) -> bool:
    """Whether `user` may read anything: a global reader or a member of some mission."""
    if global_allows(user, Action.VIEW):
        return True
    return user.is_authenticated and user.is_active and user.memberships.exists()


def require(user: User | AnonymousUser, verb: Verb, record: Model) -> None:
    """Refuse with PermissionDenied unless `user` may perform `verb` on `record`."""
    if not can(user, verb, record):
        raise PermissionDenied(_("You are not allowed to do this in this mission."))


def require_each(user: User | AnonymousUser, verb: Verb, records: Sequence[Model]) -> None:
    """Refuse with PermissionDenied unless `user` may perform `verb` on every record.

    For a batch of new records: each is asked through `can()` as one record would be, once
    per mission, since a new record's answer depends on its mission alone.
    """
    answers: dict[tuple[type[Model], int | None], bool] = {}
    for index, record in enumerate(records):
        key = (type(record), record_mission_id(record))
        if record.pk is not None:
            allowed = can(user, verb, record)
        elif key in answers:
            allowed = answers[key]
        else:
            allowed = answers[key] = can(user, verb, record)
        if not allowed:
            raise PermissionDenied(
                _("You are not allowed to do this in this mission (row %(index)s).")
                % {"index": index}
            )


def actions_in(user: User | AnonymousUser, mission_id: int) -> frozenset[Action]:
    """Every action `user` may perform in one mission: their global role's and their role's there.

    For the pages, which show each role what it can do: one query, the user's role in the mission.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    granted = frozenset(action for action in Action if global_allows(user, action))
    from .models import Membership

    for role in Membership.objects.filter(user=user, mission_id=mission_id).values_list(
        "role", flat=True
    ):
        granted |= MISSION_POLICY.get(role, frozenset())
    return granted


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether `user` must confirm their sign-in with a second factor: they see restricted
    records (by a role or a global role) of a mission that requires it. One query."""
    if not user.is_authenticated or not user.is_active:
        return False
    from .models import Membership, Mission

    if global_allows(user, Action.VIEW_RESTRICTED):
        return Mission.objects.filter(two_factor_required=True).exists()
    return Membership.objects.filter(
        user=user,
        mission__two_factor_required=True,
        role__in=roles_allowed(Action.VIEW_RESTRICTED),
    ).exists()
