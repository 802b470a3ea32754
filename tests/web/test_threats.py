"""The threat register's pages: who may open each, what the forms write, and what they cost."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.choices import AuditAction
from audit.models import AuditEntry
from commitments.models import Phase
from missions.models import Mission
from missions.permissions import Action, Verb, actions_in, required_action
from tests.factories.alerts import AlertFactory
from tests.factories.commitments import PhaseFactory, TierFactory
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import LocalityFactory
from tests.factories.threats import (
    CommunityAtRiskFactory,
    ResponseActionFactory,
    ThreatFactory,
)
from threats.choices import PerpetratorCategory, ThreatStatus, ViolenceType
from threats.models import CommunityAtRisk, ResponseAction, Threat, ThreatAssessment

ROLES = [
    "leadership",
    "poc_adviser",
    "jmac_analyst",
    "joc_officer",
    "section_staff",
    "outsider",
    "secretariat",
]


@dataclass(frozen=True)
class Route:
    name: str
    model: type[Model] | None  # what the page writes, None for a page that only reads
    verb: Verb | None
    of_threat: bool = True
    item: Any = None  # the factory of the row below the threat that the page is about

    def action(self) -> Action:
        if self.model is None or self.verb is None:
            return Action.VIEW
        action = required_action(self.model, self.verb)
        assert action is not None
        return action


PAGES = [
    Route("threat-list", None, None, of_threat=False),
    Route("threat-detail", None, None),
    Route("threat-create", Threat, Verb.CREATE, of_threat=False),
    Route("threat-edit", Threat, Verb.CHANGE),
    Route("threat-rescore", Threat, Verb.CHANGE),
    Route("threat-close", Threat, Verb.CLOSE),
    Route("threat-community-create", CommunityAtRisk, Verb.CREATE),
    Route("threat-action-create", ResponseAction, Verb.CREATE),
    Route("threat-community-edit", CommunityAtRisk, Verb.CHANGE, item=CommunityAtRiskFactory),
    Route("threat-action-edit", ResponseAction, Verb.CHANGE, item=ResponseActionFactory),
]


def url(route: str, mission: Mission, **kwargs: Any) -> str:
    return reverse(f"web:{route}", kwargs={"mission": mission.acronym, **kwargs})


def route_url(route: Route, mission: Mission, threat: Threat) -> str:
    kwargs = {"pk": threat.pk} if route.of_threat else {}
    if route.item is not None:
        kwargs["item"] = route.item(threat=threat).pk
    return url(route.name, mission, **kwargs)


def expected_status(user: User, mission: Mission, action: Action, success: int = 200) -> int:
    """What the policy says a user gets: 404 where the mission is not theirs to see, 403 where
    their role lacks the action there."""
    if not Mission.objects.visible_to(user).filter(pk=mission.pk).exists():
        return 404
    return success if action in actions_in(user, mission.pk) else 403


@pytest.fixture
def threat(mission_a: Mission) -> Threat:
    return ThreatFactory(mission=mission_a, areas=[LocalityFactory(mission=mission_a)])


@pytest.fixture
def signed_in(client: Client, request: pytest.FixtureRequest) -> Any:
    def sign_in(role: str) -> User:
        user: User = request.getfixturevalue(role)
        client.force_login(user)
        return user

    return sign_in


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGES, ids=lambda route: route.name)
def test_each_page_answers_each_role_as_the_policy_says(
    client: Client, signed_in: Any, role: str, route: Route, threat: Threat, mission_a: Mission
) -> None:
    user = signed_in(role)
    response = client.get(route_url(route, mission_a, threat))
    assert response.status_code == expected_status(user, mission_a, route.action())


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "outsider"])
def test_the_buttons_show_where_the_policy_allows(
    client: Client, signed_in: Any, role: str, threat: Threat, mission_a: Mission
) -> None:
    user = signed_in(role)
    manages = required_action(Threat, Verb.CHANGE) in actions_in(user, mission_a.pk)
    listed = client.get(url("threat-list", mission_a)).content.decode()
    detail = client.get(url("threat-detail", mission_a, pk=threat.pk)).content.decode()
    assert (url("threat-create", mission_a) in listed) == manages
    for route in ("threat-edit", "threat-rescore", "threat-close", "threat-action-create"):
        assert (url(route, mission_a, pk=threat.pk) in detail) == manages, route


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("route", "factory", "model"),
    [
        ("threat-community-delete", CommunityAtRiskFactory, CommunityAtRisk),
        ("threat-action-delete", ResponseActionFactory, ResponseAction),
    ],
)
def test_removals_answer_each_role_as_the_policy_says(
    client: Client,
    signed_in: Any,
    role: str,
    route: str,
    factory: Any,
    model: type[Model],
    threat: Threat,
    mission_a: Mission,
) -> None:
    user = signed_in(role)
    item = factory(threat=threat)
    action = required_action(model, Verb.DELETE)
    assert action is not None
    response = client.post(url(route, mission_a, pk=threat.pk, item=item.pk))
    expected = expected_status(user, mission_a, action, success=302)
    assert response.status_code == expected
    assert model._default_manager.filter(pk=item.pk).exists() == (expected != 302)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["poc_adviser", "leadership", "jmac_analyst"])
@pytest.mark.parametrize("route", [r for r in PAGES if r.of_threat], ids=lambda r: r.name)
def test_another_missions_threat_is_not_found(
    client: Client, signed_in: Any, role: str, route: Route, mission_a: Mission, mission_b: Mission
) -> None:
    user = signed_in(role)
    elsewhere = ThreatFactory(mission=mission_b)
    response = client.get(route_url(route, mission_a, elsewhere))
    assert response.status_code == expected_status(user, mission_a, route.action(), success=404)
    assert client.get(route_url(route, mission_b, elsewhere)).status_code == 404


@pytest.mark.django_db
def test_the_list_shows_the_missions_threats_with_their_risk(
    client: Client, poc_adviser: User, mission_a: Mission, mission_b: Mission
) -> None:
    ThreatFactory(
        mission=mission_a,
        title="Army raids on markets",
        perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES,
        likelihood=5,
        impact=5,
        next_review_on=datetime.date(2026, 2, 1),
    )
    ThreatFactory(mission=mission_b, title="Elsewhere entirely")
    client.force_login(poc_adviser)
    response = client.get(url("threat-list", mission_a))
    body = response.content.decode()
    assert "Army raids on markets" in body
    assert "Elsewhere entirely" not in body
    assert "risk-very_high" in body
    assert "Host state" in body
    assert "overdue" in body
    assert "New threat" in body


@pytest.mark.django_db
def test_the_list_filters_with_the_apis_filterset(
    client: Client, leadership: User, mission_a: Mission
) -> None:
    sector = LocalityFactory(mission=mission_a)
    ThreatFactory(mission=mission_a, title="High and open", likelihood=4, impact=4, areas=[sector])
    ThreatFactory(mission=mission_a, title="Low and open", likelihood=1, impact=2)
    ThreatFactory(
        mission=mission_a,
        title="High but resolved",
        likelihood=4,
        impact=4,
        status=ThreatStatus.RESOLVED,
        closed_on=datetime.date(2026, 2, 1),
    )
    client.force_login(leadership)
    body = client.get(
        url("threat-list", mission_a), {"risk_level": "high", "status": ["active"]}
    ).content.decode()
    assert "High and open" in body
    assert "Low and open" not in body
    assert "High but resolved" not in body
    assert "New threat" not in body  # leadership reads the register, never writes it
    by_area = client.get(url("threat-list", mission_a), {"area": sector.pk}).content.decode()
    assert "High and open" in by_area and "Low and open" not in by_area


@pytest.mark.django_db
def test_a_bad_filter_says_so_instead_of_failing(
    client: Client, leadership: User, mission_a: Mission
) -> None:
    client.force_login(leadership)
    response = client.get(url("threat-list", mission_a), {"identified_on_after": "someday"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


@pytest.mark.django_db
def test_the_list_pages_through_many_threats(
    client: Client, leadership: User, mission_a: Mission
) -> None:
    ThreatFactory.create_batch(30, mission=mission_a)
    client.force_login(leadership)
    first = client.get(url("threat-list", mission_a), {"status": "active"})
    assert len(first.context["threats"]) == 25
    assert "page=2" in first.content.decode() and "status=active" in first.content.decode()
    second = client.get(url("threat-list", mission_a), {"status": "active", "page": 2})
    assert len(second.context["threats"]) == 5


@pytest.mark.django_db
def test_the_detail_shows_history_communities_plan_links_and_trail(
    client: Client, poc_adviser: User, jmac_analyst: User, threat: Threat, mission_a: Mission
) -> None:
    CommunityAtRiskFactory(threat=threat, name="Village of Kana", women=12, men=10, girls=8, boys=7)
    ResponseActionFactory(threat=threat, description="Patrol the market road")
    IncidentFactory(mission=mission_a, threat=threat, incident_type=ViolenceType.ABDUCTION)
    IncidentFactory(mission=mission_a, threat=threat, sexual_violence=True)
    AlertFactory(mission=mission_a, threat=threat, summary="Armed men near Kana")
    client.force_login(poc_adviser)
    client.post(
        url("threat-rescore", mission_a, pk=threat.pk),
        {"likelihood": 5, "impact": 4, "trend": "increasing", "phase": threat.phase_id},
    )
    body = client.get(url("threat-detail", mission_a, pk=threat.pk)).content.decode()
    for text in (
        "Village of Kana",
        "Patrol the market road",
        "Abduction",
        "Armed men near Kana",
        "Conflict-related sexual violence",  # poc advisers may view restricted incidents
        "Risk history",
        "Re-score",
    ):
        assert text in body, text
    history = client.get(url("threat-detail", mission_a, pk=threat.pk)).context["history"]
    assert [(e.likelihood, e.impact) for e in history] == [(5, 4), (3, 3)]
    trail = client.get(url("threat-detail", mission_a, pk=threat.pk)).context["audit_trail"]
    assert any(line.entry.action == AuditAction.UPDATE for line in trail)
    client.force_login(jmac_analyst)
    analyst = client.get(url("threat-detail", mission_a, pk=threat.pk)).content.decode()
    assert "Abduction" in analyst
    assert "Conflict-related sexual violence" not in analyst  # no need to know


def threat_data(phase: Phase, **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Militia attacks on farmers",
        "description": "Attacks at harvest time.",
        "threat_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.COMMUNAL_MILITIA,
        "perpetrator_actor": "",
        "likelihood": 4,
        "impact": 3,
        "trend": "increasing",
        "phase": phase.pk,
        "status": ThreatStatus.ACTIVE,
        "identified_on": "2026-03-01",
        "next_review_on": "",
        "warning_signs": "",
        **overrides,
    }


@pytest.mark.django_db
def test_creating_a_threat_writes_it_its_history_and_its_audit_entry(
    client: Client, jmac_analyst: User, mission_a: Mission
) -> None:
    area = LocalityFactory(mission=mission_a)
    client.force_login(jmac_analyst)
    response = client.post(
        url("threat-create", mission_a), threat_data(PhaseFactory(), areas=[area.pk])
    )
    threat = Threat.objects.get(title="Militia attacks on farmers")
    assert response.status_code == 302
    assert response["Location"] == url("threat-detail", mission_a, pk=threat.pk)
    assert threat.mission == mission_a and threat.risk_score == 12
    assert list(threat.areas.all()) == [area]
    assert ThreatAssessment.objects.filter(threat=threat, likelihood=4, impact=3).exists()
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Threat),
        object_id=threat.pk,
        action=AuditAction.CREATE,
        actor=jmac_analyst,
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"likelihood": 9}, "Choose a score from 1 to 5."),
        ({"impact": ""}, "This field is required."),
        ({"title": ""}, "This field is required."),
        ({"identified_on": "1800-01-01"}, "Enter a date between"),
        ({"identified_on": "not a date"}, "Enter a valid date."),
    ],
)
def test_a_bad_threat_is_refused_in_words(
    client: Client, poc_adviser: User, mission_a: Mission, overrides: dict[str, Any], message: str
) -> None:
    client.force_login(poc_adviser)
    response = client.post(
        url("threat-create", mission_a), threat_data(PhaseFactory(), **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Threat.objects.exists()


@pytest.mark.django_db
def test_an_area_of_another_mission_is_not_offered(
    client: Client, poc_adviser: User, mission_a: Mission, mission_b: Mission
) -> None:
    client.force_login(poc_adviser)
    elsewhere = LocalityFactory(mission=mission_b)
    response = client.post(
        url("threat-create", mission_a), threat_data(PhaseFactory(), areas=[elsewhere.pk])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Threat.objects.exists()


@pytest.mark.django_db
def test_editing_a_threat_changes_it_and_audits_the_change(
    client: Client, poc_adviser: User, threat: Threat, mission_a: Mission
) -> None:
    client.force_login(poc_adviser)
    page = client.get(url("threat-edit", mission_a, pk=threat.pk))
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and name not in {"areas", "owner"}
    }
    data.update(title="Raids on the northern villages", phase=threat.phase_id, owner=poc_adviser.pk)
    response = client.post(url("threat-edit", mission_a, pk=threat.pk), data)
    assert response.status_code == 302
    threat.refresh_from_db()
    assert threat.title == "Raids on the northern villages"
    assert threat.owner == poc_adviser
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Threat),
        object_id=threat.pk,
        action=AuditAction.UPDATE,
    )
    assert entry.changes["title"][1] == "Raids on the northern villages"


@pytest.mark.django_db
def test_rescoring_writes_the_risk_history(
    client: Client, jmac_analyst: User, threat: Threat, mission_a: Mission
) -> None:
    client.force_login(jmac_analyst)
    response = client.post(
        url("threat-rescore", mission_a, pk=threat.pk),
        {"likelihood": 5, "impact": 5, "trend": "increasing", "phase": threat.phase_id},
    )
    assert response.status_code == 302
    threat.refresh_from_db()
    assert (threat.likelihood, threat.impact, threat.risk_score) == (5, 5, 25)
    current = ThreatAssessment.objects.get(threat=threat, valid_to__isnull=True)
    assert (current.likelihood, current.impact, current.assessed_by) == (5, 5, jmac_analyst)
    assert ThreatAssessment.objects.filter(threat=threat).count() == 2
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ThreatAssessment),
        object_id=current.pk,
        action=AuditAction.CREATE,
    ).exists()


@pytest.mark.django_db
def test_a_rescoring_before_the_identification_is_refused_in_words(
    client: Client, poc_adviser: User, threat: Threat, mission_a: Mission
) -> None:
    client.force_login(poc_adviser)
    response = client.post(
        url("threat-rescore", mission_a, pk=threat.pk),
        {
            "likelihood": 5,
            "impact": 5,
            "trend": "stable",
            "phase": threat.phase_id,
            "assessed_on": "2025-12-01",
        },
    )
    assert response.status_code == 200
    assert "A reassessment cannot take effect before" in response.content.decode()
    threat.refresh_from_db()
    assert threat.likelihood == 3


@pytest.mark.django_db
def test_closing_resolves_the_threat_and_audits_it(
    client: Client, poc_adviser: User, threat: Threat, mission_a: Mission
) -> None:
    client.force_login(poc_adviser)
    refused = client.post(url("threat-close", mission_a, pk=threat.pk), {"closed_on": "2026-01-01"})
    assert refused.status_code == 200
    assert "A threat cannot close before it is identified." in refused.content.decode()
    response = client.post(
        url("threat-close", mission_a, pk=threat.pk), {"closed_on": "2026-04-01"}
    )
    assert response.status_code == 302
    threat.refresh_from_db()
    assert threat.status == ThreatStatus.RESOLVED
    assert threat.closed_on == datetime.date(2026, 4, 1)
    assert AuditEntry.objects.filter(object_id=threat.pk, action=AuditAction.CLOSE).exists()
    # a resolved threat is edited without its status: closing is for good
    edit = client.get(url("threat-edit", mission_a, pk=threat.pk))
    assert "status" not in edit.context["form"].fields


@pytest.mark.django_db
def test_communities_and_actions_are_added_through_their_services(
    client: Client, poc_adviser: User, threat: Threat, mission_a: Mission
) -> None:
    client.force_login(poc_adviser)
    area = LocalityFactory(mission=mission_a)
    added = client.post(
        url("threat-community-create", mission_a, pk=threat.pk),
        {
            "name": "Kana",
            "group": "idps",
            "area": area.pk,
            "women": 40,
            "men": 30,
            "girls": 20,
            "boys": 10,
        },
    )
    assert added.status_code == 302
    community = CommunityAtRisk.objects.get(threat=threat)
    assert (community.name, community.women, community.mission_id) == ("Kana", 40, mission_a.pk)
    negative = client.post(
        url("threat-community-create", mission_a, pk=threat.pk),
        {"name": "Kana", "group": "idps", "women": -1, "men": 0, "girls": 0, "boys": 0},
    )
    assert negative.status_code == 200
    assert "greater than or equal to 0" in negative.content.decode()
    planned = client.post(
        url("threat-action-create", mission_a, pk=threat.pk),
        {
            "tier": TierFactory(number=2).pk,
            "phase": threat.phase_id,
            "description": "Engage the local leaders",
            "component": "civil_affairs",
            "lead": "Civil Affairs",
            "status": "planned",
            "due_on": "2026-05-01",
        },
    )
    assert planned.status_code == 302
    action = ResponseAction.objects.get(threat=threat)
    assert action.description == "Engage the local leaders"
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ResponseAction), object_id=action.pk
    ).exists()


@pytest.mark.django_db
def test_communities_and_actions_are_corrected_through_their_services(
    client: Client, jmac_analyst: User, threat: Threat, mission_a: Mission
) -> None:
    community = CommunityAtRiskFactory(threat=threat, name="Kana", women=5)
    action = ResponseActionFactory(threat=threat, description="Patrol the road")
    client.force_login(jmac_analyst)
    page = client.get(url("threat-community-edit", mission_a, pk=threat.pk, item=community.pk))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(area=community.area_id, women=50)
    response = client.post(
        url("threat-community-edit", mission_a, pk=threat.pk, item=community.pk), data
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.women == 50
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CommunityAtRisk),
        object_id=community.pk,
        action=AuditAction.UPDATE,
    ).exists()
    response = client.post(
        url("threat-action-edit", mission_a, pk=threat.pk, item=action.pk),
        {
            "tier": action.tier_id,
            "phase": action.phase_id,
            "description": "Patrol the road twice a day",
            "component": action.component,
            "lead": "",
            "status": "in_progress",
            "due_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    action.refresh_from_db()
    assert (action.description, action.status) == ("Patrol the road twice a day", "in_progress")


@pytest.mark.django_db
def test_the_list_costs_the_same_for_many_threats(
    client: Client,
    leadership: User,
    mission_a: Mission,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(leadership)
    area = LocalityFactory(mission=mission_a)
    ThreatFactory.create_batch(3, mission=mission_a, areas=[area])
    client.get(url("threat-list", mission_a))  # content types cached, as in use
    with django_assert_max_num_queries(12) as few:
        client.get(url("threat-list", mission_a))
    ThreatFactory.create_batch(20, mission=mission_a, areas=[area])
    with django_assert_max_num_queries(12) as many:
        client.get(url("threat-list", mission_a))
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_the_detail_costs_the_same_for_a_fuller_threat(
    client: Client,
    poc_adviser: User,
    threat: Threat,
    mission_a: Mission,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(poc_adviser)
    client.get(url("threat-detail", mission_a, pk=threat.pk))  # content types cached, as in use
    with django_assert_max_num_queries(20) as few:
        client.get(url("threat-detail", mission_a, pk=threat.pk))
    CommunityAtRiskFactory.create_batch(5, threat=threat)
    for number in (1, 2, 3):
        ResponseActionFactory.create_batch(2, threat=threat, tier=TierFactory(number=number))
    IncidentFactory.create_batch(5, mission=mission_a, threat=threat)
    AlertFactory.create_batch(5, mission=mission_a, threat=threat)
    with django_assert_max_num_queries(20) as many:
        client.get(url("threat-detail", mission_a, pk=threat.pk))
    assert len(many.captured_queries) == len(few.captured_queries)
