"""Signing in on the app's own page, the home page, and a mission another user cannot open."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from missions.models import Mission

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_member_signs_in_and_reaches_their_mission(
    page: Page, live_server: object, joc_officer: User, mission_a: Mission
) -> None:
    base = str(live_server)
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    assert_accessible(page)
    screenshot(page, "sign-in")
    sign_in(page, base, joc_officer.username)
    expect(page.get_by_role("link", name=mission_a.acronym).first).to_be_visible()
    assert_accessible(page)


def test_a_wrong_password_is_refused_in_words(
    page: Page, live_server: object, joc_officer: User
) -> None:
    sign_in(page, str(live_server), joc_officer.username, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")


def test_another_missions_pages_are_not_found(
    page: Page, live_server: object, outsider: User, mission_a: Mission
) -> None:
    base = str(live_server)
    sign_in(page, base, outsider.username)
    response = page.goto(f"{base}/missions/{mission_a.acronym}/")
    assert response is not None and response.status == 404
