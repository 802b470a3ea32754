"""Mission scoping: `for_user(user, action)` on every mission-scoped model.

Each test fills mission A and mission B with one row of every model, then checks which rows a
user gets. The expected set is always written as "all rows of mission X", computed through the
model's own `mission_field`, so a model that forgets its path to the mission fails here.
"""

from collections.abc import Iterable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models

from accounts.models import User
from activities.models import ProtectionActivity
from alerts.models import Alert
from commitments.models import CommitmentAction, CommitmentImplementation
from incidents.models import Incident
from indicators.models import (
    IndicatorTarget,
    Observation,
    ObservationTransition,
    ObservationValue,
)
from missions.choices import MissionRole
from missions.models import Area, Membership, Mission
from missions.permissions import MISSION_POLICY, Action
from tests.factories.accounts import AdministratorFactory, UserFactory
from tests.factories.activities import ProtectionActivityFactory
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import CommitmentActionFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import (
    IndicatorFactory,
    IndicatorTargetFactory,
    ObservationTransitionFactory,
    ObservationValueFactory,
)
from tests.factories.missions import LocalityFactory, MembershipFactory
from tests.factories.threats import CommunityAtRiskFactory, ResponseActionFactory
from threats.models import CommunityAtRisk, ResponseAction, Threat

pytestmark = pytest.mark.django_db

SCOPED_MODELS: list[type[models.Model]] = [
    Mission,
    Area,
    Membership,
    Threat,
    CommunityAtRisk,
    ResponseAction,
    Incident,
    Alert,
    ProtectionActivity,
    IndicatorTarget,
    Observation,
    ObservationValue,
    ObservationTransition,
    CommitmentImplementation,
    CommitmentAction,
]
MODEL_IDS = [model.__name__ for model in SCOPED_MODELS]


def fill(mission: Mission) -> None:
    """Give `mission` at least one row of every mission-scoped model."""
    village = LocalityFactory(mission=mission)
    MembershipFactory(mission=mission, role=MissionRole.SECTION_STAFF)
    community = CommunityAtRiskFactory(threat__mission=mission, area=village)
    ResponseActionFactory(threat=community.threat)
    IncidentFactory(mission=mission, area=village, threat=community.threat)
    AlertFactory(mission=mission, area=village, threat=community.threat)
    ProtectionActivityFactory(mission=mission, area=village, threat=community.threat)
    indicator = IndicatorFactory()
    IndicatorTargetFactory(indicator=indicator, mission=mission)
    value = ObservationValueFactory(observation__indicator=indicator, observation__mission=mission)
    ObservationTransitionFactory(observation=value.observation)
    CommitmentActionFactory(implementation__mission=mission)


@pytest.fixture
def filled(mission_a: Mission, mission_b: Mission) -> None:
    fill(mission_a)
    fill(mission_b)


def rows_of(model: type[models.Model], missions: Iterable[Mission]) -> set[int]:
    """Primary keys of every row of `model` that belongs to one of `missions`."""
    mission_ids = [mission.pk for mission in missions]
    rows = model.objects.filter(**{f"{model.mission_field}__in": mission_ids})
    return set(rows.values_list("pk", flat=True))


def visible(user: User | AnonymousUser, action: Action = Action.VIEW) -> dict[str, set[int]]:
    """For each scoped model, the primary keys `user` gets for `action`."""
    return {
        model.__name__: set(model.objects.for_user(user, action).values_list("pk", flat=True))
        for model in SCOPED_MODELS
    }


def expected(missions: Iterable[Mission]) -> dict[str, set[int]]:
    missions = list(missions)
    return {model.__name__: rows_of(model, missions) for model in SCOPED_MODELS}


# --- mission roles ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("role", MissionRole.values)
def test_for_user_returns_own_missions_rows_and_nothing_of_others(
    role: str, model: type[models.Model], filled: None, mission_a: Mission, mission_b: Mission
) -> None:
    # given a member of mission A, in any role
    user = MembershipFactory(mission=mission_a, role=role).user

    # when
    rows = set(model.objects.visible_to(user).values_list("pk", flat=True))

    # then every row of mission A, none of mission B
    assert rows == rows_of(model, [mission_a])
    assert rows
    assert not rows & rows_of(model, [mission_b])


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", MissionRole.values)
def test_for_user_follows_the_role_policy_for_every_action(
    role: str, action: Action, filled: None, mission_a: Mission
) -> None:
    user = MembershipFactory(mission=mission_a, role=role).user

    allowed = action in MISSION_POLICY[role]

    assert visible(user, action) == expected([mission_a] if allowed else [])


def test_for_user_joc_officer_cannot_validate(filled: None, joc_officer: User) -> None:
    assert not Observation.objects.for_user(joc_officer, Action.VALIDATE).exists()
    assert Observation.objects.for_user(joc_officer, Action.LOG).exists()


def test_for_user_leadership_cannot_log(filled: None, leadership: User) -> None:
    assert not Incident.objects.for_user(leadership, Action.LOG).exists()
    assert Incident.objects.for_user(leadership, Action.VIEW).exists()


def test_for_user_outsider_sees_only_mission_b(
    filled: None, outsider: User, mission_b: Mission
) -> None:
    assert visible(outsider) == expected([mission_b])


def test_for_user_with_two_missions_follows_each_missions_role(
    filled: None, mission_a: Mission, mission_b: Mission
) -> None:
    # given a POC adviser of mission A who is a JOC officer in mission B
    user = MembershipFactory(mission=mission_a, role=MissionRole.POC_ADVISER).user
    MembershipFactory(user=user, mission=mission_b, role=MissionRole.JOC_OFFICER)

    # then both missions for what both roles may do, mission A alone for the adviser's duties
    assert visible(user, Action.VIEW) == expected([mission_a, mission_b])
    assert visible(user, Action.LOG) == expected([mission_a, mission_b])
    assert visible(user, Action.VALIDATE) == expected([mission_a])
    assert visible(user, Action.MANAGE_THREATS) == expected([mission_a])
    assert visible(user, Action.MANAGE_MISSION) == expected([])


# --- global roles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "sees_all"),
    [(action, action == Action.VIEW) for action in Action],
)
def test_for_user_secretariat_reads_every_mission_and_writes_nothing(
    action: Action, sees_all: bool, filled: None, secretariat: User
) -> None:
    assert visible(secretariat, action) == expected(Mission.objects.all() if sees_all else [])


@pytest.mark.parametrize("action", list(Action))
def test_for_user_administrator_gets_every_row_for_every_action(
    action: Action, filled: None, administrator: User
) -> None:
    assert visible(administrator, action) == expected(Mission.objects.all())


def test_for_user_administrator_role_without_superuser_flag_gets_every_row(
    filled: None,
) -> None:
    administrator = AdministratorFactory(is_superuser=False, is_staff=False)

    assert visible(administrator, Action.MANAGE_MISSION) == expected(Mission.objects.all())


# --- nobody -------------------------------------------------------------------------------------


def test_for_user_anonymous_gets_nothing(filled: None) -> None:
    assert visible(AnonymousUser()) == expected([])


@pytest.mark.parametrize("role", MissionRole.values)
def test_for_user_inactive_member_gets_nothing(role: str, filled: None, mission_a: Mission) -> None:
    user = MembershipFactory(mission=mission_a, role=role, user__is_active=False).user

    assert visible(user) == expected([])


@pytest.mark.parametrize("factory", [AdministratorFactory, UserFactory], ids=["admin", "user"])
def test_for_user_inactive_global_user_gets_nothing(factory: type, filled: None) -> None:
    user = factory(is_active=False)

    assert visible(user) == expected([])


def test_for_user_user_without_membership_gets_nothing(filled: None) -> None:
    assert visible(UserFactory()) == expected([])


def test_for_mission_filters_through_the_mission_field(filled: None, mission_a: Mission) -> None:
    assert {
        model.__name__: set(model.objects.for_mission(mission_a).values_list("pk", flat=True))
        for model in SCOPED_MODELS
    } == expected([mission_a])
