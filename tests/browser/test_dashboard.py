"""Leadership opens the dashboard: figures, chart and map drawn, accessible, light on the wire,
and usable 360 px wide."""

from __future__ import annotations

import gzip

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, expect

from accounts.models import User
from missions.models import Mission
from tests.web.dashboard_data import seed

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIRST_LOAD_LIMIT = 400 * 1024  # bytes, compressed
MARCH = "?period=month&on=2026-03-01"


def _compressed(response: Response) -> int:
    """A response's size gzip-compressed; the icon's as sent (the browser keeps no body of it)."""
    try:
        return len(gzip.compress(response.body()))
    except PlaywrightError:
        return int(response.request.sizes()["responseBodySize"])


def test_leadership_sees_figures_chart_and_map(
    page: Page, live_server: object, leadership: User, mission_a: Mission
) -> None:
    seed(mission_a)
    base = str(live_server)
    sign_in(page, base, leadership.username)
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{base}/missions/{mission_a.acronym}/{MARCH}")
    page.wait_for_load_state("networkidle")

    expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
    expect(page.get_by_role("row", name="Civilians killed")).to_contain_text("10")
    # the chart is drawn in its canvas
    canvas = page.locator("canvas#dashboard-chart")
    expect(canvas).to_be_visible()
    assert canvas.evaluate("c => c.width > 0 && !!Chart.getChart(c)")
    # the map: Leaflet's container with a circle per sector and the host country's outline
    expect(page.locator("#dashboard-map.leaflet-container")).to_be_visible()
    expect(page.locator("#dashboard-map path.leaflet-interactive")).to_have_count(2)
    expect(page.locator("#dashboard-map .leaflet-overlay-pane path")).to_have_count(3)
    page.locator("#dashboard-map path.leaflet-interactive").first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Incidents")
    # faded in: the accessibility check below would measure its contrast halfway through
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    # the series' numbers as a table, for readers who cannot see the chart
    page.get_by_text("The numbers as a table").click()
    expect(page.get_by_role("table", name="POC-01 Civilians killed")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard")

    first_load = sum(_compressed(response) for response in responses if response.status == 200)
    assert 0 < first_load <= FIRST_LOAD_LIMIT, first_load


def test_drilling_down_from_the_map_table_and_narrow_screens(
    page: Page, live_server: object, leadership: User, mission_a: Mission
) -> None:
    seed(mission_a)
    base = str(live_server)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, base, leadership.username)
    page.goto(f"{base}/missions/{mission_a.acronym}/{MARCH}")
    page.get_by_role("link", name="North").click()
    expect(page.get_by_role("navigation", name="Places")).to_contain_text("North")
    expect(page.get_by_role("link", name="Kaga")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow
    assert_accessible(page)
    screenshot(page, "dashboard-360")
