"""A POC adviser's home shows what needs them; the commitment tracker, the targets and the
Secretariat's side-by-side view render accessibly."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from incidents.choices import VerificationStatus
from indicators.choices import ObservationState
from indicators.rollups import rollup_rebuild
from missions.models import Mission
from tests.factories.commitments import (
    CommitmentActionFactory,
    CommitmentImplementationFactory,
    KeyElementFactory,
)
from tests.factories.incidents import IncidentFactory
from tests.factories.indicators import IndicatorFactory, ObservationFactory

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_secretariat_compares_missions(
    page: Page, live_server: object, secretariat: User, mission_a: Mission, mission_b: Mission
) -> None:
    # given both missions' verified March killings, rolled up
    for killed, mission in ((7, mission_a), (9, mission_b)):
        IncidentFactory(
            mission=mission, verification_status=VerificationStatus.VERIFIED, killed_men=killed
        )
    rollup_rebuild()
    base = str(live_server)

    sign_in(page, base, secretariat.username)

    expect(page).to_have_url(f"{base}/secretariat/")
    page.get_by_label("Period").fill("2026-03")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/api/v1/reports/poc/?period=2026-03&format=csv"
    )
    expect(page.get_by_role("rowheader", name="POC-01 Civilians killed")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "secretariat")


def test_a_poc_adviser_sees_an_observation_to_validate_and_the_tracker(
    page: Page, live_server: object, poc_adviser: User, joc_officer: User, mission_a: Mission
) -> None:
    # given an observation the JOC officer submitted, and an element the mission tracks
    ObservationFactory(
        indicator=IndicatorFactory(),
        mission=mission_a,
        state=ObservationState.SUBMITTED,
        logged_by=joc_officer,
        submitted_at=datetime.datetime(2026, 4, 2, tzinfo=datetime.UTC),
    )
    implementation = CommitmentImplementationFactory(
        mission=mission_a, key_element=KeyElementFactory()
    )
    CommitmentActionFactory(implementation=implementation, description="Map hotspots")
    base = str(live_server)

    # when the POC adviser signs in
    sign_in(page, base, poc_adviser.username)

    # then their home shows it, linked to the validation queue
    link = page.get_by_role("link", name="1 observation to validate")
    expect(link).to_have_attribute("href", f"/missions/{mission_a.acronym}/validation/")
    assert_accessible(page)
    screenshot(page, "home")

    page.goto(f"{base}/missions/{mission_a.acronym}/commitments/")
    expect(page.get_by_role("cell", name="Map hotspots", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Add an action").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "commitments")

    # the POC adviser records evidence through the element's form
    page.get_by_role("link", name="Update status and evidence").first.click()
    page.get_by_label("Evidence").fill("Protection strategy signed by the SRSG")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Protection strategy signed by the SRSG")).to_be_visible()

    page.goto(f"{base}/missions/{mission_a.acronym}/targets/")
    expect(page.get_by_role("heading", name="Baselines and targets")).to_be_visible()
    page.get_by_text("How it is computed").first.click()
    assert_accessible(page)
    screenshot(page, "targets")
