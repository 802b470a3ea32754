"""The period-entry grid: who may open it, what it shows, and the form posted without script."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from core.choices import SexAge
from indicators.choices import CombinationMethod, Disaggregation, Frequency, ObservationState
from indicators.models import Indicator, Observation
from missions.models import Area, Mission
from missions.permissions import Action, roles_allowed
from tests.factories.accounts import UserFactory
from tests.factories.indicators import (
    IndicatorFactory,
    ObservationFactory,
    ObservationTransitionFactory,
    ObservationValueFactory,
)
from tests.factories.missions import SectorFactory

pytestmark = pytest.mark.django_db

WEEK = datetime.date(2026, 11, 23)  # a Monday
WEEK_END = datetime.date(2026, 11, 29)
CAST = ["joc_officer", "poc_adviser", "leadership", "jmac_analyst", "section_staff"]


def url(mission: Mission, **query: str) -> str:
    path = reverse("web:entry", kwargs={"mission": mission.acronym})
    if not query:
        return path
    return path + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def week_url(mission: Mission) -> str:
    return url(mission, frequency=Frequency.WEEKLY, day=WEEK.isoformat(), level="sector")


@pytest.fixture
def sectors(mission_a: Mission) -> list[Area]:
    return [SectorFactory(mission=mission_a, name=name) for name in ("North", "South")]


@pytest.fixture
def counted() -> Indicator:
    return IndicatorFactory(code="t-count", name="Patrols", frequency=Frequency.WEEKLY)


@pytest.fixture
def by_sex_age() -> Indicator:
    return IndicatorFactory(
        code="t-people",
        name="People sheltered",
        frequency=Frequency.WEEKLY,
        disaggregation=Disaggregation.SEX_AGE,
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", CAST)
def test_entry_grid_opens_for_roles_that_log(
    request: pytest.FixtureRequest, role: str, mission_a: Mission
) -> None:
    user: User = request.getfixturevalue(role)
    allowed = user.memberships.get().role in roles_allowed(Action.LOG)
    response = signed_in(user).get(url(mission_a))
    assert response.status_code == (200 if allowed else 403)


def test_entry_grid_of_another_mission_is_not_found(outsider: User, mission_a: Mission) -> None:
    assert signed_in(outsider).get(url(mission_a)).status_code == 404


def test_entry_grid_asks_anonymous_visitors_to_sign_in(client: Client, mission_a: Mission) -> None:
    response = client.get(url(mission_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_entry_grid_shows_indicators_by_places_with_labelled_inputs(
    joc_officer: User,
    mission_a: Mission,
    sectors: list[Area],
    counted: Indicator,
    by_sex_age: Indicator,
) -> None:
    response = signed_in(joc_officer).get(week_url(mission_a))
    assert response.status_code == 200
    html = response.content.decode()
    north = sectors[0]
    assert f'name="c-{counted.pk}-{north.pk}-total-value"' in html
    for group in (SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS, SexAge.UNKNOWN):
        assert f'name="c-{by_sex_age.pk}-{north.pk}-{group}-value"' in html
    assert f"t-people, People sheltered, North, {SexAge.GIRLS.label}" in html
    assert "23 November 2026 to 29 November 2026" in html


def test_entry_grid_shows_states_locks_submitted_and_shows_the_return_comment(
    joc_officer: User,
    poc_adviser: User,
    mission_a: Mission,
    sectors: list[Area],
    counted: Indicator,
) -> None:
    # given a submitted figure in the north and a returned one in the south
    north, south = sectors
    submitted = ObservationFactory(
        indicator=counted,
        mission=mission_a,
        area=north,
        period_start=WEEK,
        period_end=WEEK_END,
        state=ObservationState.SUBMITTED,
    )
    returned = ObservationFactory(
        indicator=counted,
        mission=mission_a,
        area=south,
        period_start=WEEK,
        period_end=WEEK_END,
        state=ObservationState.RETURNED,
    )
    ObservationValueFactory(observation=submitted, value=4)
    ObservationValueFactory(observation=returned, value=9)
    ObservationTransitionFactory(
        observation=returned,
        from_state=ObservationState.SUBMITTED,
        to_state=ObservationState.RETURNED,
        by=poc_adviser,
        comment="Count the night patrols too.",
    )
    # when
    html = signed_in(joc_officer).get(week_url(mission_a)).content.decode()
    # then
    assert "Count the night patrols too." in html
    north_input = html.split(f'name="c-{counted.pk}-{north.pk}-total-value"')[1].split(">")[0]
    south_input = html.split(f'name="c-{counted.pk}-{south.pk}-total-value"')[1].split(">")[0]
    assert "disabled" in north_input and 'value="4"' in north_input
    assert "disabled" not in south_input and 'value="9"' in south_input


def test_entry_grid_post_saves_drafts_then_submits_through_the_services(
    joc_officer: User,
    mission_a: Mission,
    sectors: list[Area],
    counted: Indicator,
    by_sex_age: Indicator,
) -> None:
    # given
    north, south = sectors
    client = signed_in(joc_officer)
    data = {
        f"c-{counted.pk}-{north.pk}-total-value": "3",
        f"c-{by_sex_age.pk}-{south.pk}-women-value": "12",
        f"c-{by_sex_age.pk}-{south.pk}-girls-value": "5",
        "action": "save",
    }
    # when
    response = client.post(week_url(mission_a), data)
    # then
    assert response.status_code == 302
    drafts = Observation.objects.filter(mission=mission_a, period_start=WEEK)
    assert drafts.count() == 2
    assert set(drafts.values_list("state", flat=True)) == {ObservationState.DRAFT}
    people = drafts.get(indicator=by_sex_age)
    assert people.area == south and people.period_end == WEEK_END
    assert {v.disaggregation: int(v.value) for v in people.values.all()} == {
        "women": 12,
        "girls": 5,
    }
    # when the officer changes a figure and submits
    data[f"c-{counted.pk}-{north.pk}-total-value"] = "4"
    data["action"] = "submit"
    assert client.post(week_url(mission_a), data).status_code == 302
    # then the draft was corrected, not doubled, and both are submitted
    assert drafts.count() == 2
    assert set(drafts.values_list("state", flat=True)) == {ObservationState.SUBMITTED}
    assert drafts.get(indicator=counted).values.get().value == 4


def test_entry_grid_post_with_bad_figures_gives_errors_not_a_crash(
    joc_officer: User,
    mission_a: Mission,
    sectors: list[Area],
    counted: Indicator,
) -> None:
    field = f"c-{counted.pk}-{sectors[0].pk}-total-value"
    response = signed_in(joc_officer).post(week_url(mission_a), {field: "-2", "action": "save"})
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()
    response = signed_in(joc_officer).post(week_url(mission_a), {field: "many"})
    assert response.status_code == 400
    assert not Observation.objects.filter(indicator=counted).exists()


def test_entry_grid_ignores_figures_posted_for_locked_observations(
    joc_officer: User,
    mission_a: Mission,
    sectors: list[Area],
    counted: Indicator,
) -> None:
    validated = ObservationFactory(
        indicator=counted,
        mission=mission_a,
        area=sectors[0],
        period_start=WEEK,
        period_end=WEEK_END,
        state=ObservationState.VALIDATED,
        validated_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    ObservationValueFactory(observation=validated, value=7)
    field = f"c-{counted.pk}-{sectors[0].pk}-total-value"
    response = signed_in(joc_officer).post(week_url(mission_a), {field: "70", "action": "save"})
    assert response.status_code == 302
    assert validated.values.get().value == 7


def test_entry_grid_opens_on_the_period_of_the_missions_today(
    joc_officer: User, mission_a: Mission, counted: Indicator
) -> None:
    # given a mission fourteen hours east of UTC, where Monday 30 November has begun
    mission_a.time_zone = "Pacific/Kiritimati"
    mission_a.save(update_fields=["time_zone"])
    with time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC), tick=False):
        html = signed_in(joc_officer).get(url(mission_a)).content.decode()
    # then the grid shows the mission's new week, not the one still running in UTC
    assert "30 November 2026 to 6 December 2026" in html


def test_entry_lists_where_the_users_returned_observations_wait(
    joc_officer: User, mission_a: Mission, sectors: list[Area], counted: Indicator
) -> None:
    # given two of the officer's figures returned in one week, one in the week before, one
    # returned to someone else, and one of the officer's that is only a draft
    north, south = sectors
    earlier = WEEK - datetime.timedelta(days=7)
    for area, start, by, state in (
        (north, WEEK, joc_officer, ObservationState.RETURNED),
        (south, WEEK, joc_officer, ObservationState.RETURNED),
        (north, earlier, joc_officer, ObservationState.RETURNED),
        (south, earlier, UserFactory(), ObservationState.RETURNED),
        (None, WEEK, joc_officer, ObservationState.DRAFT),
    ):
        ObservationFactory(
            indicator=counted,
            mission=mission_a,
            area=area,
            period_start=start,
            period_end=start + datetime.timedelta(days=6),
            state=state,
            logged_by=by,
        )
    # when the officer opens the grid of any period
    html = signed_in(joc_officer).get(url(mission_a)).content.decode()
    # then each period holding some of theirs links to its grid, oldest first
    section = html.split('id="returned"')[1].split("</section>")[0]
    links = re.findall(r'<a href="\?([^"]+)">([^<]+)</a>', section)
    assert links == [
        (
            "frequency=weekly&amp;day=2026-11-16&amp;level=sector",
            "1 observation, 16 November 2026 to 22 November 2026",
        ),
        (
            "frequency=weekly&amp;day=2026-11-23&amp;level=sector",
            "2 observations, 23 November 2026 to 29 November 2026",
        ),
    ]


def test_entry_grid_bad_period_falls_back_to_a_period_of_today(
    joc_officer: User,
    mission_a: Mission,
) -> None:
    response = signed_in(joc_officer).get(url(mission_a, frequency="hourly", day="yesterday"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_entry_grid_queries_are_bounded(
    joc_officer: User,
    mission_a: Mission,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # given `rows` sectors with a draft each for a weekly indicator
    indicator = IndicatorFactory(frequency=Frequency.WEEKLY)
    for n in range(rows):
        sector = SectorFactory(mission=mission_a, name=f"Sector {n:02}")
        observation = ObservationFactory(
            indicator=indicator,
            mission=mission_a,
            area=sector,
            period_start=WEEK,
            period_end=WEEK_END,
        )
        ObservationValueFactory(observation=observation)
    client = signed_in(joc_officer)
    # session, user, mission, the user's role; frequencies, indicators for the default level
    # and the latest observation; indicators, places, observations, their values and returns;
    # the navigation's missions
    # and where the user's returned observations wait
    with django_assert_max_num_queries(15):
        response = client.get(url(mission_a, frequency=Frequency.WEEKLY, day=WEEK.isoformat()))
    assert response.status_code == 200
    assert response.content.decode().count('value="12"') == rows


def test_entry_grid_of_a_month_asks_a_ratio_for_numerator_and_denominator(
    joc_officer: User, mission_a: Mission, sectors: list[Area]
) -> None:
    # given a monthly ratio logged for the whole mission
    ratio = IndicatorFactory(code="t-share", name="Share answered", method=CombinationMethod.RATIO)
    query = {"frequency": Frequency.MONTHLY, "day": "2026-11-17", "level": "mission"}
    # when
    response = signed_in(joc_officer).get(url(mission_a, **query))
    # then
    html = response.content.decode()
    assert "1 November 2026 to 30 November 2026" in html
    assert f'name="c-{ratio.pk}-0-total-numerator"' in html
    assert f'name="c-{ratio.pk}-0-total-denominator"' in html
    assert "day=2026-10-01" in html and "day=2026-12-01" in html  # the months around it
    # and a posted ratio is logged for the mission as a whole
    data = {f"c-{ratio.pk}-0-total-numerator": "3", f"c-{ratio.pk}-0-total-denominator": "4"}
    assert signed_in(joc_officer).post(url(mission_a, **query), data).status_code == 302
    logged = Observation.objects.get(indicator=ratio)
    assert logged.area is None and logged.period_start == datetime.date(2026, 11, 1)
    assert (logged.values.get().numerator, logged.values.get().denominator) == (3, 4)
