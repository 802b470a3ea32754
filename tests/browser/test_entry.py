"""A JOC officer logs a week in the grid while the connection drops and returns; a POC adviser
validates it; the rollup gives the new figure, which leadership reads on the dashboard; a user
of another mission finds none of these pages."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from accounts.models import User
from core.choices import SexAge
from indicators.choices import Disaggregation, Frequency, ObservationState, PeriodKind
from indicators.models import Indicator, Observation
from indicators.selectors import mission_figures
from indicators.services.observations import (
    observation_create,
    observation_return,
    observation_submit,
)
from missions.models import Mission
from tests.factories.indicators import IndicatorFactory
from tests.factories.missions import SectorFactory

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEEK = datetime.date(2026, 11, 23)


def cell(page: Page, indicator: Indicator, place: str, group: str = "") -> Locator:
    label = f"{indicator.code}, {indicator.name}, {place}" + (f", {group}" if group else "")
    return page.get_by_label(label, exact=True)


def weekly(code: str, name: str) -> Indicator:
    # made here rather than read from the shipped catalogue, which a transactional test before
    # this one may have flushed
    indicator: Indicator = IndicatorFactory(code=code, name=name, frequency=Frequency.WEEKLY)
    return indicator


def type_figure(page: Page, indicator: Indicator, place: str, figure: str, group: str = "") -> None:
    box = cell(page, indicator, place, group)
    box.fill(figure)
    box.press("Tab")  # leaving the cell sends it


def test_a_week_logged_through_a_dropped_connection_is_stored_once_and_validated(
    page: Page,
    browser: Browser,
    live_server: object,
    joc_officer: User,
    poc_adviser: User,
    leadership: User,
    outsider: User,
    mission_a: Mission,
) -> None:
    # given two sectors and the week's hand-logged indicators, one of them by sex and age
    base = str(live_server)
    for name in ("North", "South"):
        SectorFactory(mission=mission_a, name=name)
    patrols = weekly("t-patrols", "Joint protection team missions")
    meetings = weekly("t-deployments", "Rapid deployments to hotspots")
    sheltered = IndicatorFactory(
        code="t-sheltered",
        name="People sheltered",
        frequency=Frequency.WEEKLY,
        disaggregation=Disaggregation.SEX_AGE,
    )
    sign_in(page, base, joc_officer.username)
    grid = f"{base}/missions/{mission_a.acronym}/log/?frequency=weekly&day={WEEK}&level=sector"
    page.goto(grid)
    status = page.locator("#send-status")

    # when the officer logs the first figures online
    type_figure(page, patrols, "North", "3")
    type_figure(page, patrols, "South", "2")
    expect(status).to_have_text("2 entries saved.")
    assert_accessible(page)
    # and the arrow keys move between cells as in a spreadsheet
    cell(page, patrols, "North").focus()
    page.keyboard.press("ArrowRight")
    expect(cell(page, patrols, "South")).to_be_focused()
    page.keyboard.press("ArrowUp")  # rows in code order: deployments above patrols
    expect(cell(page, meetings, "South")).to_be_focused()

    # and the connection is cut while more are typed, one of them correcting a saved figure
    page.context.set_offline(True)
    type_figure(page, patrols, "North", "4")
    type_figure(page, meetings, "North", "5")
    type_figure(page, meetings, "South", "6")
    type_figure(page, sheltered, "South", "10", SexAge.WOMEN.label)
    type_figure(page, sheltered, "South", "4", SexAge.GIRLS.label)
    # then the page says what waits, and the browser holds it
    expect(status).to_contain_text("4 entries waiting to be sent")
    expect(status).to_contain_text("You are offline")
    held = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('poc-entry:'))")
    assert len(held) == 4
    assert Observation.objects.filter(mission=mission_a).count() == 2
    screenshot(page, "entry-grid")

    # when the connection returns, and the first answer is lost on the way back
    lost: list[str] = []

    def lose_first_answer(route: Route) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server creates the record...
        lost.append(route.request.headers["idempotency-key"])
        route.abort("connectionreset")  # ...and the browser never hears of it

    page.route("**/api/v1/observations/bulk/", lose_first_answer)
    page.context.set_offline(False)
    # then every entry is sent, the lost one replayed under its key
    expect(status).to_have_text("6 entries saved.", timeout=15_000)
    assert lost and page.evaluate("Object.keys(localStorage).length") == 0
    logged = Observation.objects.filter(mission=mission_a, period_start=WEEK)
    assert logged.count() == 5  # five entries, none doubled
    figures = {
        (o.indicator.code, o.area.name if o.area else "", v.disaggregation): int(v.value)
        for o in logged.select_related("indicator", "area")
        for v in o.values.all()
    }
    assert figures == {
        ("t-patrols", "North", "total"): 4,
        ("t-patrols", "South", "total"): 2,
        ("t-deployments", "North", "total"): 5,
        ("t-deployments", "South", "total"): 6,
        ("t-sheltered", "South", "women"): 10,
        ("t-sheltered", "South", "girls"): 4,
    }

    # when the officer submits the week
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.locator(".badge", has_text="Submitted")).to_have_count(5)
    assert set(logged.values_list("state", flat=True)) == {ObservationState.SUBMITTED}
    # and at 360 px the grid scrolls within its frame, not the page
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # and a POC adviser validates them all in the queue
    adviser = browser.new_context().new_page()
    sign_in(adviser, base, poc_adviser.username)
    queue = f"{base}/missions/{mission_a.acronym}/validation/"
    adviser.goto(queue)
    expect(adviser.get_by_role("heading", name="5 observations")).to_be_visible()
    assert_accessible(adviser)
    screenshot(adviser, "validation-queue")
    adviser.set_viewport_size({"width": 360, "height": 740})
    assert adviser.evaluate("document.documentElement.scrollWidth") <= 360
    for box in adviser.get_by_role("checkbox").all():
        box.check()
    adviser.get_by_role("button", name="Validate selected").click()
    expect(adviser.get_by_role("status")).to_contain_text("5 observations validated.")
    adviser.context.close()

    # then the rollups, refreshed once the validation committed, give the week's figures
    assert set(logged.values_list("state", flat=True)) == {ObservationState.VALIDATED}
    week = mission_figures(
        user=poc_adviser,
        mission=mission_a,
        period=PeriodKind.WEEK,
        period_start=WEEK,
        indicators=[patrols, meetings, sheltered],
    )
    assert [figure.value for figure in week] == [6, 11, 14]

    # and leadership reads the week's patrols on the dashboard, the chosen week last in its series
    reader = browser.new_context().new_page()
    sign_in(reader, base, leadership.username)
    dashboard = f"{base}/missions/{mission_a.acronym}/?period=week&on={WEEK}"
    reader.goto(dashboard)
    over_time = reader.get_by_role("region", name="Over time, against the target")
    over_time.get_by_label("Indicator").select_option(patrols.code)
    over_time.get_by_role("button", name="Show").click()
    reader.get_by_text("The numbers as a table").click()
    series = reader.get_by_role("table", name=f"{patrols.code} {patrols.name}")
    expect(series.get_by_role("row").last.get_by_role("cell").first).to_have_text("6")
    reader.context.close()

    # and a member of another mission finds none of these pages, nor the data behind them
    stranger = browser.new_context().new_page()
    sign_in(stranger, base, outsider.username)
    for url in (grid, queue, dashboard, f"{dashboard}&indicator={patrols.code}"):
        answer = stranger.goto(url)
        assert answer is not None and answer.status == 404, url
        expect(stranger.get_by_text(patrols.name)).to_have_count(0)
    stranger.context.close()


def test_a_returned_figure_is_corrected_and_a_locked_one_refused_in_words(
    page: Page, live_server: object, joc_officer: User, poc_adviser: User, mission_a: Mission
) -> None:
    # given a figure returned with a comment, and a draft submitted once the page is open
    base = str(live_server)
    north = SectorFactory(mission=mission_a, name="North")
    south = SectorFactory(mission=mission_a, name="South")
    patrols = weekly("t-patrols", "Joint protection team missions")
    week = {"period_start": WEEK, "period_end": WEEK + datetime.timedelta(days=6)}
    returned = observation_create(
        by=joc_officer,
        indicator=patrols,
        mission=mission_a,
        area=north,
        values={"total": {"value": 9}},
        **week,
    )
    observation_submit(observation=returned, by=joc_officer)
    observation_return(observation=returned, by=poc_adviser, reason="Count the night patrols.")
    draft = observation_create(
        by=joc_officer,
        indicator=patrols,
        mission=mission_a,
        area=south,
        values={"total": {"value": 1}},
        **week,
    )
    sign_in(page, base, joc_officer.username)
    page.goto(f"{base}/missions/{mission_a.acronym}/log/?frequency=weekly&day={WEEK}&level=sector")
    expect(page.get_by_text("Count the night patrols.")).to_be_visible()
    observation_submit(observation=draft, by=joc_officer)
    # when the officer corrects both
    type_figure(page, patrols, "North", "12")
    type_figure(page, patrols, "South", "2")
    # then the returned figure is saved and the submitted one refused, saying why
    state = page.locator(f'[data-entry-state="{patrols.pk}-{south.pk}"]')
    expect(state).to_contain_text("Not saved: Only draft or returned observations can be changed.")
    expect(page.locator("#send-status")).to_have_text("1 entry saved.")
    assert returned.values.get().value == 12 and draft.values.get().value == 1
    # and the refused entry stops the week's submission until it is corrected
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.locator("#send-status")).to_contain_text("Correct the entries marked")
