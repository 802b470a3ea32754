"""Every page of the app, generated from its routes, at a phone's width and a desktop's: nothing
wider than the screen, no serious accessibility violation, no script or policy error, and a
screenshot of each under var/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Model
from django.urls import URLPattern, URLResolver, reverse
from playwright.sync_api import Page

from accounts.models import User
from alerts.models import Alert
from commitments.models import CommitmentAction, KeyElement
from incidents.models import Incident
from indicators.models import IndicatorTarget
from missions.models import Mission
from tests.factories.commitments import CommitmentActionFactory
from tests.factories.threats import CommunityAtRiskFactory, ResponseActionFactory
from tests.web.dashboard_data import seed
from threats.models import CommunityAtRisk, ResponseAction, Threat
from web import urls as web_urls

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE, DESKTOP = 360, 1280
# what a route's `pk` and `item` name, by the route's name
PK_OF: dict[str, type[Model]] = {
    "threat": Threat,
    "incident": Incident,
    "alert": Alert,
    "target": IndicatorTarget,
    "commitment-action": CommitmentAction,
}
ITEM_OF: dict[str, type[Model]] = {
    "threat-community": CommunityAtRisk,
    "threat-action": ResponseAction,
}


def _routes(patterns: list[URLPattern | URLResolver]) -> Iterator[tuple[str, set[str]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns)
        elif pattern.name and "get" in pattern.callback.view_class.http_method_names:  # type: ignore[attr-defined]
            yield pattern.name, set(pattern.pattern.converters)  # a page, not an action


def _first(kinds: dict[str, type[Model]], name: str, **within: object) -> Model:
    """The first seeded object of the kind whose name starts the route's name (the longest)."""
    prefix = max((prefix for prefix in kinds if name.startswith(prefix)), key=len)
    found = kinds[prefix].objects.filter(**within).order_by("pk").first()  # type: ignore[attr-defined]
    assert found is not None, f"the seed holds no {kinds[prefix].__name__} for {name}"
    return found


def _kwargs(name: str, converters: set[str], mission: Mission) -> dict[str, object]:
    """The arguments of a mission page: the first seeded objects of the route's kinds."""
    kwargs: dict[str, object] = {"mission": mission.acronym}
    if "pk" in converters:
        kwargs["pk"] = _first(PK_OF, name).pk
    if "item" in converters:  # a threat's community or action
        kwargs["item"] = _first(ITEM_OF, name, threat=kwargs["pk"]).pk
    if "element" in converters:
        element = KeyElement.objects.filter(paragraph__number=10).order_by("number").first()
        kwargs["element"] = element.code  # type: ignore[union-attr]
    return kwargs


def pages(mission: Mission) -> list[tuple[str, str]]:
    """(name, path) of every page: the mission's, then those outside any mission."""
    found = [
        (name, reverse(f"web:{name}", kwargs=_kwargs(name, converters, mission)))
        for name, converters in _routes(web_urls.mission_patterns)
    ]
    found += [(name, reverse(f"web:{name}")) for name in ("home", "secretariat")]
    found += [(name, reverse(name)) for name in ("two-factor",)]
    return sorted(found)


def test_every_page_fits_a_phone_and_passes_the_accessibility_check(
    page: Page, live_server: object, administrator: User, mission_a: Mission
) -> None:
    seed(mission_a)
    threat = Threat.objects.order_by("pk").first()
    CommunityAtRiskFactory(threat=threat)
    ResponseActionFactory(threat=threat)
    CommitmentActionFactory(implementation=mission_a.commitment_implementations.first())
    base = str(live_server)
    sign_in(page, base, administrator.username)
    wide: dict[str, int] = {}
    failing: dict[str, int] = {}
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages(mission_a):
            answer = page.goto(f"{base}{path}")
            if answer is None or answer.status != 200:
                failing[path] = answer.status if answer else 0
                continue
            if width == DESKTOP:
                assert_accessible(page)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wide[f"{path} at {width} px"] = scroll
            screenshot(page, f"{name}-{width}")
    assert failing == {}
    assert wide == {}
