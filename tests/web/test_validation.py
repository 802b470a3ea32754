"""The validation queue: who may open it, its filters, and validating, returning and reopening
one observation or many, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from audit.models import AuditEntry
from indicators.choices import ObservationState
from indicators.models import Indicator, Observation
from missions.models import Mission
from missions.permissions import Action, roles_allowed
from tests.factories.indicators import (
    IndicatorFactory,
    ObservationFactory,
    ObservationValueFactory,
)
from tests.factories.missions import SectorFactory

pytestmark = pytest.mark.django_db

CAST = ["joc_officer", "poc_adviser", "leadership", "jmac_analyst", "section_staff"]


def url(mission: Mission, query: str = "") -> str:
    return reverse("web:validation", kwargs={"mission": mission.acronym}) + query


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submitted(mission: Mission, indicator: Indicator, n: int, **extra: object) -> list[Observation]:
    """`n` submitted observations, one per new sector of the mission."""
    made = []
    for index in range(n):
        observation = ObservationFactory(
            indicator=indicator,
            mission=mission,
            area=SectorFactory(mission=mission, name=f"{indicator.code} sector {index:02}"),
            state=ObservationState.SUBMITTED,
            **extra,
        )
        ObservationValueFactory(observation=observation, value=index + 1)
        made.append(observation)
    return made


@pytest.fixture
def indicator() -> Indicator:
    return IndicatorFactory(code="t-patrols", name="Patrols")


@pytest.mark.parametrize("role", CAST)
def test_validation_queue_opens_only_for_roles_that_validate(
    request: pytest.FixtureRequest, role: str, mission_a: Mission
) -> None:
    user: User = request.getfixturevalue(role)
    allowed = user.memberships.get().role in roles_allowed(Action.VALIDATE)
    assert signed_in(user).get(url(mission_a)).status_code == (200 if allowed else 403)
    assert signed_in(user).post(url(mission_a), {}).status_code == (400 if allowed else 403)


def test_validation_queue_of_another_mission_is_not_found(
    outsider: User, mission_a: Mission
) -> None:
    assert signed_in(outsider).get(url(mission_a)).status_code == 404


def test_validation_queue_lists_submitted_observations_of_the_mission_only(
    poc_adviser: User, mission_a: Mission, mission_b: Mission, indicator: Indicator
) -> None:
    ours = submitted(mission_a, indicator, 2)
    draft = ObservationFactory(indicator=indicator, mission=mission_a)
    theirs = submitted(mission_b, indicator, 1)
    response = signed_in(poc_adviser).get(url(mission_a))
    shown = list(response.context["page"].object_list)
    assert shown == ours
    assert draft not in shown and theirs[0] not in shown


def test_validation_queue_filters_by_indicator_area_and_period(
    poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    march = submitted(mission_a, indicator, 2)
    other = IndicatorFactory()
    april = submitted(
        mission_a,
        other,
        1,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
    )
    client = signed_in(poc_adviser)
    by_indicator = client.get(url(mission_a, f"?indicator={other.pk}")).context["page"]
    assert list(by_indicator.object_list) == april
    by_area = client.get(url(mission_a, f"?area={march[1].area_id}")).context["page"]
    assert list(by_area.object_list) == [march[1]]
    by_period = client.get(url(mission_a, "?period_start_after=2026-04-01")).context["page"]
    assert list(by_period.object_list) == april


def test_validation_bulk_validate_changes_states_and_writes_audit_entries(
    poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    # given
    first, second, kept = submitted(mission_a, indicator, 3)
    audited = AuditEntry.objects.count()
    # when
    response = signed_in(poc_adviser).post(
        url(mission_a),
        {"observations": [first.pk, second.pk], "action": "validate"},
        follow=True,
    )
    # then
    assert "2 observations validated." in response.content.decode()
    states = dict(Observation.objects.values_list("pk", "state"))
    assert states[first.pk] == states[second.pk] == ObservationState.VALIDATED
    assert states[kept.pk] == ObservationState.SUBMITTED
    assert AuditEntry.objects.count() == audited + 2
    assert Observation.objects.get(pk=first.pk).validated_by == poc_adviser


def test_validation_return_needs_a_comment_and_keeps_it(
    poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    (observation,) = submitted(mission_a, indicator, 1)
    client = signed_in(poc_adviser)
    refused = client.post(url(mission_a), {"one": f"return:{observation.pk}", "reason": " "})
    assert refused.status_code == 400
    assert "Say what needs correcting" in refused.content.decode()
    client.post(url(mission_a), {"one": f"return:{observation.pk}", "reason": "Count again."})
    observation.refresh_from_db()
    assert observation.state == ObservationState.RETURNED
    assert observation.transitions.get().comment == "Count again."


def test_validation_reopen_a_validated_value_with_a_reason(
    poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    (observation,) = submitted(mission_a, indicator, 1)
    client = signed_in(poc_adviser)
    client.post(url(mission_a), {"one": f"validate:{observation.pk}"})
    listed = client.get(url(mission_a, "?state=validated")).context["page"]
    assert list(listed.object_list) == [Observation.objects.get(pk=observation.pk)]
    response = client.post(
        url(mission_a),
        {"one": f"reopen:{observation.pk}", "reason": "Late report."},
        follow=True,
    )
    assert "1 observation reopened." in response.content.decode()
    assert Observation.objects.get(pk=observation.pk).state == ObservationState.RETURNED


def test_validation_of_a_value_not_waiting_says_why(
    poc_adviser: User, mission_a: Mission, indicator: Indicator
) -> None:
    draft = ObservationFactory(indicator=indicator, mission=mission_a)
    response = signed_in(poc_adviser).post(
        url(mission_a), {"one": f"validate:{draft.pk}"}, follow=True
    )
    assert "This observation is draft." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ObservationState.DRAFT


def test_validation_of_another_missions_observation_is_refused_as_input(
    poc_adviser: User, mission_a: Mission, mission_b: Mission, indicator: Indicator
) -> None:
    (theirs,) = submitted(mission_b, indicator, 1)
    response = signed_in(poc_adviser).post(url(mission_a), {"one": f"validate:{theirs.pk}"})
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.state == ObservationState.SUBMITTED


def test_validation_with_a_malformed_choice_gives_errors_not_a_crash(
    poc_adviser: User, mission_a: Mission
) -> None:
    response = signed_in(poc_adviser).post(url(mission_a), {"one": "explode:abc"})
    assert response.status_code == 400


@pytest.mark.parametrize("rows", [1, 30])
def test_validation_queue_queries_are_bounded(
    poc_adviser: User,
    mission_a: Mission,
    indicator: Indicator,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    submitted(mission_a, indicator, rows)
    client = signed_in(poc_adviser)
    # session, user, mission, the user's role; the count and the page (with its indicators,
    # places, missions and loggers joined), their figures; the filter form's indicators and
    # areas; the navigation's missions
    with django_assert_max_num_queries(12):
        response = client.get(url(mission_a))
    assert len(response.context["page"].object_list) == rows
