"""The dashboard in French shows no English: every word of the page, of its labels and of the
data its chart and map draw is either translated or the mission's own data (place names,
codes)."""

from __future__ import annotations

import json
import re

import polib
import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from accounts.models import User
from indicators.models import Indicator
from missions.models import Area, Mission
from tests.web.dashboard_data import seed

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MARCH = "?period=month&on=2026-03-01"
WORD = re.compile(r"[^\W\d_]{2,}")  # letters, whatever the script: a text that says something

# Every text the reader sees: text nodes, the labels given to assistive technology, and the
# strings of the data the chart and the map are drawn from.
READ_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement.closest("script, style")) texts.push(node.textContent);
  }
  for (const element of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  const data = [];
  for (const script of document.querySelectorAll("script[type='application/json']")) {
    data.push(script.textContent);
  }
  return {texts, data};
}"""


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def read(page: Page) -> set[str]:
    found = page.evaluate(READ_TEXTS)
    data = [s for each in found["data"] for s in _strings(json.loads(each))]
    texts = found["texts"] + [text for text in data if not text.startswith("/")]  # not URLs
    return {" ".join(text.split()) for text in texts if WORD.search(text)}


def same_in_french() -> set[str]:
    """The catalogue's words that French writes as English does ("Total", "Incidents")."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    return {entry.msgid for entry in catalogue if entry.msgstr == entry.msgid}


def test_the_french_dashboard_shows_no_english(
    page: Page, live_server: object, leadership: User, mission_a: Mission
) -> None:
    seed(mission_a)
    base = str(live_server)
    sign_in(page, base, leadership.username)
    page.goto(f"{base}/missions/{mission_a.acronym}/{MARCH}")
    english = read(page)

    # when the reader switches the language
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Chiffres clés")).to_be_visible()
    french = read(page)

    # then what reads the same in both languages is the mission's own data, and only that
    own = {mission_a.acronym, mission_a.name, mission_a.host_country, leadership.get_full_name()}
    own |= set(Area.objects.filter(mission=mission_a).values_list("name", flat=True))
    own |= set(Indicator.objects.values_list("code", flat=True))
    own |= {"English"}  # the switcher names each language in its own tongue
    same = {text for text in english & french if text not in own | same_in_french()}
    assert same == set()
    # and numbers and dates are written the French way
    assert any(re.search(r"\bmars 2026\b", text) for text in french), sorted(french)
    assert_accessible(page)
    screenshot(page, "dashboard-fr")
