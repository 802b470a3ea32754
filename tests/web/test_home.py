"""`/`: what needs each user, for their role in each of their missions, counted in SQL."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from indicators.choices import ObservationState
from indicators.models import Indicator
from indicators.rollups.calendar import calendar_ensure
from missions.choices import MissionRole
from missions.models import Mission
from tests.factories.accounts import UserFactory
from tests.factories.alerts import AlertFactory
from tests.factories.indicators import IndicatorFactory, ObservationFactory
from tests.factories.missions import MembershipFactory
from tests.factories.threats import ThreatFactory
from threats.choices import ThreatStatus
from web.needs import needs_of

NOW = datetime.datetime(2026, 4, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _observation(indicator: Indicator, mission: Mission, month: int, state: str, by: User) -> None:
    start = datetime.date(2026, month, 1)
    next_month = datetime.date(2026, month + 1, 1)
    ObservationFactory(
        indicator=indicator,
        mission=mission,
        period_start=start,
        period_end=next_month - datetime.timedelta(days=1),
        state=state,
        logged_by=by,
        submitted_at=NOW - datetime.timedelta(days=30),
        validated_at=NOW if state == ObservationState.VALIDATED else None,
    )


def _waiting_in(mission: Mission, logger: User) -> None:
    """In `mission`: 2 observations to validate, 1 returned to `logger`, 1 threat due for
    review (of 3), 1 alert past the standard (of 3) and 3 late reports of `logger`'s (as of
    20 April, with 7 grace days, January to March are due; April is still running)."""
    calendar_ensure(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    reported = IndicatorFactory()  # January validated, February submitted, March late
    _observation(reported, mission, 1, ObservationState.VALIDATED, logger)
    _observation(reported, mission, 2, ObservationState.SUBMITTED, logger)
    other = IndicatorFactory()  # January returned (not received) and February late
    _observation(other, mission, 1, ObservationState.RETURNED, logger)
    _observation(other, mission, 3, ObservationState.SUBMITTED, logger)
    ThreatFactory(mission=mission, next_review_on=datetime.date(2026, 4, 20))
    ThreatFactory(mission=mission, next_review_on=datetime.date(2026, 5, 1))
    ThreatFactory(
        mission=mission,
        next_review_on=datetime.date(2026, 4, 1),
        status=ThreatStatus.RESOLVED,
        closed_on=datetime.date(2026, 4, 2),
    )
    AlertFactory(mission=mission, received_at=NOW - datetime.timedelta(hours=25))
    AlertFactory(mission=mission, received_at=NOW - datetime.timedelta(hours=2))
    AlertFactory(
        mission=mission,
        received_at=NOW - datetime.timedelta(hours=30),
        arrived_at=NOW - datetime.timedelta(hours=20),
    )


@pytest.fixture
def waiting(mission_a: Mission, mission_b: Mission, joc_officer: User, outsider: User) -> None:
    _waiting_in(mission_a, joc_officer)
    _waiting_in(mission_b, outsider)


def _items(user: User) -> dict[str, dict[str, int]]:
    return {
        entry.mission.acronym: {item.kind: item.count for item in entry.items}
        for entry in needs_of(user)
    }


# Each role's items, from missions.permissions: VALIDATE (POC advisers) validates, MANAGE_THREATS
# (POC advisers, JMAC) reviews threats, LOG (all but leadership) answers alerts; returned and
# late observations are the logger's own (the JOC officer's here).
EXPECTED = {
    MissionRole.POC_ADVISER: {"validate": 2, "threats": 1, "alerts": 1},
    MissionRole.JMAC_ANALYST: {"threats": 1, "alerts": 1},
    MissionRole.JOC_OFFICER: {"returned": 1, "alerts": 1, "reports": 3},
    MissionRole.SECTION_STAFF: {"alerts": 1},
    MissionRole.LEADERSHIP: {},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_home_lists_each_roles_items_with_their_counts(
    role: str, waiting: None, mission_a: Mission, joc_officer: User
) -> None:
    user = (
        joc_officer
        if role == MissionRole.JOC_OFFICER
        else MembershipFactory(mission=mission_a, role=role).user
    )

    assert _items(user) == {mission_a.acronym: EXPECTED[role]}


def test_home_never_counts_another_missions_items(
    waiting: None, mission_a: Mission, mission_b: Mission, outsider: User
) -> None:
    # given the outsider is POC adviser of mission B only, and both missions have items
    # when / then: only mission B's, the outsider's own (returned, late) counted there
    assert _items(outsider) == {
        mission_b.acronym: {"validate": 2, "threats": 1, "alerts": 1, "returned": 1, "reports": 3}
    }


def test_home_page_links_each_item_to_the_page_that_handles_it(
    client: Client, waiting: None, poc_adviser: User, mission_a: Mission
) -> None:
    client.force_login(poc_adviser)

    page = client.get("/").content.decode()

    assert "2 observations to validate" in page
    assert f'href="/missions/{mission_a.acronym}/validation/"' in page
    assert "1 threat due for review" in page
    assert "next_review_on_before=2026-04-20" in page
    assert "1 alert past the response standard" in page
    assert f'href="/missions/{mission_a.acronym}/"' in page  # its dashboard


def test_home_query_count_is_bounded_whatever_the_missions(
    client: Client, django_assert_max_num_queries, waiting: None, mission_b: Mission
) -> None:
    # given a POC adviser of both missions
    user = MembershipFactory(mission=mission_b, role=MissionRole.POC_ADVISER).user
    MembershipFactory(user=user, mission=Mission.objects.get(acronym="MISSA"), role="poc_adviser")
    client.force_login(user)
    # when / then: session, user, memberships, the five counts, the mission switcher
    with django_assert_max_num_queries(9):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("2 observations to validate") == 2


def test_home_of_a_user_without_mission_says_so(client: Client, db: None) -> None:
    client.force_login(UserFactory())

    response = client.get("/")

    assert "You are not a member of any mission yet" in response.content.decode()


def test_home_of_the_secretariat_leads_to_the_missions_side_by_side(
    client: Client, secretariat: User
) -> None:
    client.force_login(secretariat)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/secretariat/"


def test_home_asks_anonymous_visitors_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("kind", "records"), [("threats", "threats"), ("alerts", "alerts")])
def test_each_count_opens_a_list_of_as_many_records(
    client: Client, waiting: None, poc_adviser: User, mission_a: Mission, kind: str, records: str
) -> None:
    client.force_login(poc_adviser)
    (need,) = [item for entry in needs_of(poc_adviser) for item in entry.items if item.kind == kind]

    listed = client.get(need.path).content.decode()

    shown = set(re.findall(rf'href="/missions/{mission_a.acronym}/{records}/(\d+)/"', listed))
    assert len(shown) == need.count == 1
