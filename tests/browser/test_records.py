"""A JOC officer logs an early-warning alert and follows it to the response's arrival, then logs
an incident with its casualties, all through the pages' forms."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from alerts.models import Alert
from incidents.models import Incident
from missions.models import Area, Mission
from tests.factories.missions import LocalityFactory

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def moment(instant: datetime.datetime) -> str:
    """A time as a browser's date-time picker takes it."""
    return instant.strftime("%Y-%m-%dT%H:%M")


def exactly(label: str) -> re.Pattern[str]:
    """A field's label, with or without the mark of a required field."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


@pytest.fixture
def village(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a, name="Kalunga")


def test_a_joc_officer_follows_an_alert_and_logs_an_incident(
    page: Page, live_server: object, joc_officer: User, mission_a: Mission, village: Area
) -> None:
    base = str(live_server)
    sign_in(page, base, joc_officer.username)

    # the alert, as the community alert network called it in
    page.goto(f"{base}/missions/{mission_a.acronym}/alerts/")
    page.get_by_role("link", name="Log an alert").click()
    page.get_by_label(exactly("Area")).select_option(label="Kalunga")
    page.get_by_label("Source").select_option(label="Community alert network")
    page.get_by_label("Severity").select_option(label="High")
    page.get_by_label("Summary").fill("Armed men seen on the road to the market")
    # the times of the last two hours, as the officer's clock in the mission reads them
    received = timezone.localtime(timezone.now(), ZoneInfo(mission_a.time_zone)).replace(
        second=0, microsecond=0
    ) - datetime.timedelta(hours=2)
    page.get_by_label("Received at").fill(moment(received))
    page.get_by_role("button", name="Log the alert").click()
    expect(page.get_by_role("status")).to_contain_text("The alert is logged.")
    alert = Alert.objects.get(mission=mission_a)

    page.get_by_role("button", name="Acknowledge now").click()
    expect(page.get_by_role("status")).to_contain_text("The alert is acknowledged.")

    page.get_by_role("link", name="Record the response").click()
    page.get_by_label("Response decided").fill("A patrol from the company base")
    page.get_by_label("Deployed at").fill(moment(received + datetime.timedelta(minutes=20)))
    arrived = received + datetime.timedelta(hours=1, minutes=30)
    page.get_by_label("Arrived at").fill(moment(arrived))
    page.get_by_label("Outcome").select_option(label="Violence averted")
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_role("status")).to_contain_text("The response is recorded.")

    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(5)
    expect(timeline.nth(0)).to_contain_text("Received")
    expect(timeline.nth(3)).to_contain_text("Response arrived")
    expect(timeline.nth(3)).to_contain_text("1 h 30 min after receipt")
    expect(timeline.nth(3)).to_contain_text("Within the standard")
    expect(timeline.nth(4)).to_contain_text("Violence averted")
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.arrived_at == arrived  # read in the mission's time zone, as entered
    page.reload()  # the page as it reads later, without the message of the write
    assert_accessible(page)
    screenshot(page, "alert-detail")

    page.get_by_role("link", name="← All alerts").click()
    expect(page.get_by_role("table")).to_contain_text("Armed men seen on the road")
    expect(page.get_by_role("table")).to_contain_text("Within")
    assert_accessible(page)
    screenshot(page, "alert-list")

    # the incident that followed elsewhere, with its casualties in the grid
    page.get_by_role("link", name="Incidents", exact=True).click()
    page.get_by_role("link", name="Log an incident").click()
    page.get_by_label(exactly("Date")).fill("2026-03-11")
    page.get_by_label(exactly("Area")).select_option(label="Kalunga")
    page.get_by_label(exactly("Type")).select_option(label="Killing and maiming")
    page.get_by_label("Perpetrator category").select_option(label="Host-state security forces")
    page.get_by_label("Source type").select_option(label="UN patrol")
    page.get_by_label("Killed: men").fill("2")
    page.get_by_label("Injured: girls").fill("1")
    page.get_by_role("button", name="Log the incident").click()
    expect(page.get_by_role("status")).to_contain_text("The incident is logged.")
    incident = Incident.objects.get(mission=mission_a)
    assert (incident.killed_men, incident.injured_girls) == (2, 1)

    casualties = page.locator("table.casualties")
    expect(casualties.get_by_role("row", name="Killed")).to_contain_text("2")
    expect(page.get_by_text("Host-state forces")).to_be_visible()
    page.reload()
    assert_accessible(page)
    screenshot(page, "incident-detail")

    page.get_by_role("link", name="← All incidents").click()
    expect(page.get_by_role("table")).to_contain_text("Killing and maiming")
    page.locator("summary", has_text="Perpetrator category").click()  # opens its choices
    page.get_by_label("Host-state security forces").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("table")).to_contain_text("Host-state security forces")
    assert_accessible(page)
    screenshot(page, "incident-list")
