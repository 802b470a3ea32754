"""The threat register in a browser: an analyst enters a threat, re-scores it and reads its risk
history; the list and a threat's page pass the accessibility check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from missions.models import Mission
from tests.factories.commitments import PhaseFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import CommunityAtRiskFactory, ThreatFactory
from threats.choices import PerpetratorCategory
from threats.models import Threat

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_analyst_enters_and_rescores_a_threat(
    page: Page, live_server: object, jmac_analyst: User, mission_a: Mission
) -> None:
    base = str(live_server)
    phase = PhaseFactory()
    area = LocalityFactory(mission=mission_a, name="Kana")
    ThreatFactory(
        mission=mission_a,
        title="Army checkpoints extorting traders",
        perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES,
        likelihood=4,
        impact=4,
        areas=[area],
    )
    sign_in(page, base, jmac_analyst.username)
    page.goto(f"{base}/missions/{mission_a.acronym}/threats/")
    expect(page.get_by_role("heading", name="Threat register")).to_be_visible()
    page.get_by_text("Filter the threats").click()
    page.get_by_label("Risk level").select_option("high")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"risk_level=high"))
    expect(page.get_by_role("link", name="Army checkpoints extorting traders")).to_be_visible()
    assert_accessible(page)  # with the filters open
    screenshot(page, "threat-list")

    page.get_by_role("link", name="New threat").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Militia raids on farms at harvest")
    page.get_by_label("Type").select_option(label="Killing and maiming")
    page.get_by_label("Perpetrator category").select_option(label="Communal militia")
    page.get_by_label("Likelihood").select_option("3")
    page.get_by_label("Impact").select_option("4")
    page.get_by_label("Phase of response").select_option(str(phase.pk))
    page.get_by_label("Identified on").fill("2026-03-01")
    page.get_by_label("Affected areas").select_option(str(area.pk))
    page.get_by_role("button", name="Enter the threat").click()
    expect(page.get_by_role("status")).to_contain_text("The threat is in the register.")
    threat = Threat.objects.get(title="Militia raids on farms at harvest")
    CommunityAtRiskFactory(threat=threat, name="Farmers of Kana", area=area)

    page.get_by_role("link", name="Re-score").click()
    page.get_by_label("Likelihood").select_option("5")
    page.get_by_label("Impact").select_option("5")
    page.get_by_label("Trend").select_option(label="Increasing")
    page.get_by_role("button", name="Record the new scores").click()
    expect(page.get_by_role("status")).to_contain_text("risk history")

    history = page.get_by_role("table", name="Each scoring of the threat, newest first")
    expect(history.get_by_role("row")).to_have_count(3)  # the header, then two scorings
    expect(history.get_by_role("row").nth(1)).to_contain_text("Very high (25)")
    expect(history.get_by_role("row").nth(2)).to_contain_text("(12)")
    expect(page.get_by_role("region", name="Audit trail")).to_contain_text("Changed")
    # read again without the one-off message, whose list the base template marks up apart
    page.reload()
    assert_accessible(page)
    screenshot(page, "threat-detail")

    # at 360 px only the wide tables scroll, inside their frames: the page itself does not
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("", f"{threat.pk}/", f"{threat.pk}/rescore/"):
        page.goto(f"{base}/missions/{mission_a.acronym}/threats/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    screenshot(page, "threat-rescore-narrow")


def test_a_section_member_reads_the_register_without_its_buttons(
    page: Page, live_server: object, section_staff: User, mission_a: Mission
) -> None:
    base = str(live_server)
    threat = ThreatFactory(mission=mission_a, title="Looting of the market")
    sign_in(page, base, section_staff.username)
    page.goto(f"{base}/missions/{mission_a.acronym}/threats/{threat.pk}/")
    expect(page.get_by_role("heading", name="Looting of the market")).to_be_visible()
    expect(page.get_by_role("link", name="Re-score")).to_have_count(0)
    response = page.goto(f"{base}/missions/{mission_a.acronym}/threats/{threat.pk}/rescore/")
    assert response is not None and response.status == 403
