"""Every API route × every role × own mission / other mission / restricted record × method,
checked against the declared policy.

The routes come from the router (`tests/api/routes.py`), and the expected answer from the
policy's tables alone (`WRITE_POLICY`, `MISSION_POLICY`, `GLOBAL_POLICY`), not from `can()`: a
view that forgets the scoping, asks for the wrong verb, or exposes a write nobody declared
fails. Each request runs in a savepoint rolled back after it, so every role meets the same
records.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import models, transaction
from rest_framework.test import APIClient

from accounts.models import User
from api.permissions import ACTION_VERBS
from missions.choices import MissionRole
from missions.models import Mission
from missions.permissions import GLOBAL_POLICY, MISSION_POLICY, WRITE_POLICY, Action, Verb
from tests.factories.accounts import AdministratorFactory, SecretariatFactory, UserFactory
from tests.factories.missions import MembershipFactory, MissionFactory

from .routes import RESTRICTED, ApiRoute, api_routes, make_record

pytestmark = pytest.mark.django_db

SAFE = {"get", "head", "options"}
# Who calls: each mission role in the record's own mission, the two global roles, and nobody.
ROLES = [*MissionRole.values, "secretariat", "administrator", "anonymous"]


def _declared_verb(route: ApiRoute, action: str) -> Verb | None:
    """The verb the viewset declares for a write action, as the permission class reads it."""
    method = getattr(route.viewset, action)
    declared: Verb | None = getattr(method, "kwargs", {}).get("verb")
    return declared or ACTION_VERBS.get(action)


def _holds(role: str, action: Action, *, own: bool) -> bool:
    if role in GLOBAL_POLICY:
        return action in GLOBAL_POLICY[role]
    return own and action in MISSION_POLICY.get(role, frozenset())


def _visible(role: str, *, own: bool, restricted: bool) -> bool:
    if not _holds(role, Action.VIEW, own=own):
        return False
    return not restricted or _holds(role, Action.VIEW_RESTRICTED, own=own)


def _may_write(role: str, action: Action, *, own: bool, restricted: bool) -> bool:
    # a write reads the record's scope for its action: need-to-know applies to it too
    return _holds(role, action, own=own) and _visible(role, own=own, restricted=restricted)


@dataclass(frozen=True)
class Case:
    route: ApiRoute
    target: str  # "own", "other" or "restricted"

    def __str__(self) -> str:
        return f"{self.route}-{self.target}"


def _cases() -> list[Case]:
    cases = []
    for route in api_routes():
        if not route.policy_scoped:
            continue  # the caller's own records (tokens): tests/api/test_tokens.py
        in_missions = hasattr(route.model, "mission_field")  # not reference data
        targets = ["own", "other"] if route.detail or SAFE >= set(route.mapping) else ["own"]
        if not in_missions:
            targets = ["own"]  # the same for every mission
        if route.model._meta.label_lower in RESTRICTED:
            targets.append("restricted")
        cases.extend(Case(route, target) for target in targets)
    return cases


def _caller(role: str, mission: Mission) -> User | None:
    if role == "anonymous":
        return None
    if role == "secretariat":
        return SecretariatFactory()
    if role == "administrator":
        return AdministratorFactory()
    return MembershipFactory(user=UserFactory(), mission=mission, role=role).user


def _request(client: APIClient, method: str, url: str) -> int:
    with transaction.atomic():
        status: int = getattr(client, method)(url, {}, format="json").status_code
        transaction.set_rollback(True)
    return status


def test_every_route_declares_a_policy_for_its_writes() -> None:
    # given every write action of every route
    for route in api_routes():
        for method, action in route.mapping.items():
            if method in SAFE or not route.policy_scoped:
                continue
            # then the view names a verb, and the policy says who may perform it
            verb = _declared_verb(route, action)
            assert verb is not None, f"{route} {method.upper()} declares no verb"
            label = route.model._meta.label_lower
            assert verb in WRITE_POLICY.get(label, {}), f"{label} {verb}: not in WRITE_POLICY"


@pytest.mark.parametrize("case", _cases(), ids=str)
def test_route_answers_as_the_policy_declares(case: Case) -> None:
    # given a record in mission A (the callers' own), or in mission B
    mission_a, mission_b = MissionFactory(), MissionFactory()
    own = case.target != "other"
    restricted = case.target == "restricted"
    record: models.Model = make_record(
        case.route.model, mission_a if own else mission_b, restricted=restricted
    )
    label = case.route.model._meta.label_lower
    if not hasattr(case.route.model, "mission_field"):
        own = True  # reference data: every reader's, written by global roles only
    failures = []
    for role in ROLES:
        client = APIClient()
        client.force_authenticate(_caller(role, mission_a))
        for method, action in case.route.mapping.items():
            # when the role calls the route
            status = _request(client, method, case.route.url(record))
            # then it answers as the tables say
            global_role = role in GLOBAL_POLICY
            visible = _visible(role, own=own or global_role, restricted=restricted)
            if role == "anonymous":
                expected = {401}
            elif method in SAFE:
                expected = {200} if visible or not case.route.detail else {404}
            elif not case.route.detail:  # create: allowed somewhere, the service checks where
                needed = WRITE_POLICY[label][Verb.CREATE]
                allowed = _holds(role, needed, own=True)
                expected = {201, 400} if allowed else {403}
            elif not visible:
                expected = {404}
            else:
                needed = WRITE_POLICY[label][_declared_verb(case.route, action)]  # type: ignore[index]
                allowed = _may_write(role, needed, own=own or global_role, restricted=restricted)
                expected = {200, 204, 400} if allowed else {403}
            if status not in expected:
                failures.append(f"{role} {method.upper()}: {status}, expected {sorted(expected)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "route", [r for r in api_routes() if r.name.endswith("-list") and r.policy_scoped], ids=str
)
def test_list_shows_only_what_the_role_may_see(route: ApiRoute) -> None:
    # given a record in each mission, and one restricted where the model has them
    mission_a, mission_b = MissionFactory(), MissionFactory()
    label = route.model._meta.label_lower
    in_missions = hasattr(route.model, "mission_field")
    own = make_record(route.model, mission_a)
    other = make_record(route.model, mission_b)
    hidden = make_record(route.model, mission_a, restricted=True) if label in RESTRICTED else None
    for role in ROLES[:-1]:  # signed in
        client = APIClient()
        client.force_authenticate(_caller(role, mission_a))
        # when the role lists them
        response = client.get(route.url(), {"page_size": 1000, "limit": 1000})
        listed = {row["id"] for row in response.json()["results"]}
        # then each shows exactly when the role may see it
        global_role = role in GLOBAL_POLICY
        assert (own.pk in listed) is _visible(role, own=True, restricted=False), role
        # reference data is every reader's; a mission's records only its own staff's
        assert (other.pk in listed) is (global_role or not in_missions), role
        if hidden is not None:
            expected = _visible(role, own=True, restricted=True)
            assert (hidden.pk in listed) is expected, role
