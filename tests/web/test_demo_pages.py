"""Every page of the browser app renders for every demo login that may see it, and answers
403 or 404 to those who may not: generated from the app's routes and the one policy, on the
demo data that `make run` loads."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from accounts.models import User
from missions.models import Mission
from missions.permissions import Action, actions_in
from web import urls as web_urls

DEMO = {
    "missions": 3,
    "end": datetime.date(2025, 12, 31),
    "incidents": 120,
    "alerts": 40,
    "activities": 60,
    "observations": 400,
    "localities": 2,
    "seed": 7,
}


def _names(patterns: list[URLPattern | URLResolver]) -> Iterator[tuple[str, type]]:
    """The mission pages that need nothing but the mission: (URL name, view class)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _names(pattern.url_patterns)
        elif pattern.name and not pattern.pattern.converters:
            yield pattern.name, pattern.callback.view_class  # type: ignore[attr-defined]


MISSION_PAGES = sorted(set(_names(web_urls.mission_patterns)), key=lambda page: page[0])


def test_the_pages_are_those_of_the_navigation() -> None:
    assert {name for name, _view in MISSION_PAGES} >= {
        "dashboard",
        "threat-list",
        "incident-list",
        "alert-list",
        "entry",
        "validation",
        "commitments",
        "targets",
    }


@pytest.mark.django_db
def test_every_mission_page_answers_every_demo_login_as_the_policy_says() -> None:
    call_command("seed_demo", quiet=True, **DEMO)
    missions = list(Mission.objects.order_by("acronym"))
    wrong = []
    for user in User.objects.filter(is_active=True).order_by("username"):
        client = Client()
        client.force_login(user)
        for mission in missions:
            actions = actions_in(user, mission.pk)
            for name, view in MISSION_PAGES:
                required: Action = getattr(view, "required_action", Action.VIEW)
                expected = (
                    404 if Action.VIEW not in actions else 200 if required in actions else 403
                )
                url = reverse(f"web:{name}", kwargs={"mission": mission.acronym})
                answer = client.get(url).status_code
                if answer != expected:
                    wrong.append((user.username, url, answer, expected))
    assert wrong == []


@pytest.mark.django_db
def test_every_demo_login_has_a_home_page() -> None:
    call_command("seed_demo", quiet=True, **DEMO)
    users = list(User.objects.filter(is_active=True))
    assert len(users) > 15
    for user in users:
        client = Client()
        client.force_login(user)
        assert client.get(reverse("web:home"), follow=True).status_code == 200, user.username
