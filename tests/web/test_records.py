"""The incident and alert pages: who may open each, what they show, and writes through the forms.

Expected answers come from the policy (`missions.permissions`), never written by hand: a page
needs the action its verb needs on its model, a member without it gets 403, and a user who may
not see the mission gets 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from alerts.choices import AlertOutcome
from alerts.models import Alert
from audit.choices import AuditAction
from audit.models import AuditEntry
from commitments.models import Tier
from incidents.models import Incident
from missions.models import Area, Mission
from missions.permissions import Action, Verb, actions_in, required_action
from tests.factories.alerts import AlertFactory
from tests.factories.incidents import GraveViolationFactory, IncidentFactory
from tests.factories.missions import LocalityFactory
from threats.choices import PerpetratorCategory, ViolenceType
from web.record_lists import PAGE_SIZE

ROLES = [
    "leadership",
    "poc_adviser",
    "jmac_analyst",
    "joc_officer",
    "section_staff",
    "outsider",
    "secretariat",
]


def _needs(model: type[Any], verb: Verb) -> Action:
    action = required_action(model, verb)
    assert action is not None
    return action


# route name → (the record it is about, the action the policy asks for it)
ROUTES: dict[str, tuple[str | None, Callable[[], Action]]] = {
    "incident-list": (None, lambda: Action.VIEW),
    "incident-detail": ("incident", lambda: Action.VIEW),
    "incident-create": (None, lambda: _needs(Incident, Verb.CREATE)),
    "incident-update": ("incident", lambda: _needs(Incident, Verb.CHANGE)),
    "alert-list": (None, lambda: Action.VIEW),
    "alert-detail": ("alert", lambda: Action.VIEW),
    "alert-create": (None, lambda: _needs(Alert, Verb.CREATE)),
    "alert-update": ("alert", lambda: _needs(Alert, Verb.CHANGE)),
    "alert-acknowledge": ("alert", lambda: _needs(Alert, Verb.ACKNOWLEDGE)),
    "alert-response": ("alert", lambda: _needs(Alert, Verb.RESPOND)),
}


def url(name: str, mission: Mission, **kwargs: Any) -> str:
    return reverse(f"web:{name}", kwargs={"mission": mission.acronym, **kwargs})


def expected_status(user: User, mission: Mission, action: Action) -> int:
    if not Mission.objects.visible_to(user).filter(pk=mission.pk).exists():
        return 404
    return 200 if action in actions_in(user, mission.pk) else 403


@pytest.fixture
def locality(mission_a: Mission) -> Area:
    return LocalityFactory(mission=mission_a)


@pytest.fixture
def incident(mission_a: Mission, locality: Area) -> Incident:
    return IncidentFactory(mission=mission_a, area=locality, killed_women=2, injured_boys=1)


@pytest.fixture
def alert(mission_a: Mission, locality: Area) -> Alert:
    return AlertFactory(mission=mission_a, area=locality)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(ROUTES))
def test_every_route_answers_each_role_as_the_policy_says(
    request: pytest.FixtureRequest,
    client: Client,
    role: str,
    route: str,
    mission_a: Mission,
    incident: Incident,
    alert: Alert,
) -> None:
    user: User = request.getfixturevalue(role)
    record_name, action = ROUTES[route]
    kwargs = {"pk": {"incident": incident, "alert": alert}[record_name].pk} if record_name else {}
    client.force_login(user)
    response = client.get(url(route, mission_a, **kwargs))
    assert response.status_code == expected_status(user, mission_a, action())


def test_the_matrix_covers_allowed_and_refused_answers(
    request: pytest.FixtureRequest, mission_a: Mission
) -> None:
    # a matrix whose answers were all 200 would test nothing: each kind of answer occurs
    answers = {
        expected_status(request.getfixturevalue(role), mission_a, action())
        for role in ROLES
        for _record, action in ROUTES.values()
    }
    assert answers == {200, 403, 404}


@pytest.mark.parametrize("role", ROLES)
def test_a_restricted_incident_is_seen_only_by_those_cleared(
    request: pytest.FixtureRequest, client: Client, role: str, mission_a: Mission, locality: Area
) -> None:
    restricted = IncidentFactory(mission=mission_a, area=locality, sexual_violence=True)
    user: User = request.getfixturevalue(role)
    client.force_login(user)
    detail = client.get(url("incident-detail", mission_a, pk=restricted.pk))
    listing = client.get(url("incident-list", mission_a))
    cleared = expected_status(user, mission_a, Action.VIEW_RESTRICTED)
    # a member without clearance, like anyone outside the mission, finds no such incident
    assert detail.status_code == (200 if cleared == 200 else 404)
    if listing.status_code == 200:
        shown = url("incident-detail", mission_a, pk=restricted.pk) in listing.content.decode()
        assert shown == (cleared == 200)


def test_restricted_to_the_joc_officer_visible_to_the_poc_adviser(
    client: Client, joc_officer: User, poc_adviser: User, mission_a: Mission, locality: Area
) -> None:
    restricted = IncidentFactory(mission=mission_a, area=locality, sexual_violence=True)
    client.force_login(joc_officer)
    assert client.get(url("incident-detail", mission_a, pk=restricted.pk)).status_code == 404
    assert client.get(url("incident-update", mission_a, pk=restricted.pk)).status_code == 404
    client.force_login(poc_adviser)
    response = client.get(url("incident-detail", mission_a, pk=restricted.pk))
    assert response.status_code == 200
    assert "Restricted" in response.content.decode()


def test_another_missions_records_are_not_found(
    client: Client, poc_adviser: User, mission_a: Mission, mission_b: Mission
) -> None:
    theirs = IncidentFactory(mission=mission_b, area=LocalityFactory(mission=mission_b))
    their_alert = AlertFactory(mission=mission_b, area=LocalityFactory(mission=mission_b))
    client.force_login(poc_adviser)
    for name, pk in [
        ("incident-detail", theirs.pk),
        ("incident-update", theirs.pk),
        ("alert-detail", their_alert.pk),
        ("alert-response", their_alert.pk),
    ]:
        # neither under the user's own mission's address nor under theirs
        assert client.get(url(name, mission_a, pk=pk)).status_code == 404
        assert client.get(url(name, mission_b, pk=pk)).status_code == 404


def test_the_incident_page_shows_casualties_by_harm_and_sex_and_age(
    client: Client, leadership: User, mission_a: Mission, incident: Incident
) -> None:
    client.force_login(leadership)
    response = client.get(url("incident-detail", mission_a, pk=incident.pk))
    rows = {row.harm: row for row in response.context["casualties"]}
    assert rows["Killed"].counts == [2, 0, 0, 0, 0] and rows["Killed"].total == 2
    assert rows["Injured"].counts == [0, 0, 0, 1, 0]
    html = response.content.decode()
    assert "Girls" in html and "Sex or age unknown" in html
    # leadership may not log: no edit button
    assert url("incident-update", mission_a, pk=incident.pk) not in html


def incident_post(place: Area, **overrides: Any) -> dict[str, Any]:
    data = {
        "occurred_on": "2026-03-12",
        "date_precision": "exact",
        "area": place.pk,
        "location_precision": "exact",
        "incident_type": ViolenceType.KILLING_MAIMING,
        "perpetrator_category": PerpetratorCategory.HOST_STATE_FORCES,
        "people_displaced": "0",
        "killed_men": "3",
        "injured_girls": "1",
        "verification_status": "reported",
        "source_type": "un_patrol",
        "source_reliability": "B",
    }
    data.update(overrides)
    return data


def audited(record: Incident | Alert, action: str) -> bool:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        action=action,
    ).exists()


def test_an_incident_logged_and_corrected_through_the_forms(
    client: Client, joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    client.force_login(joc_officer)
    response = client.post(url("incident-create", mission_a), incident_post(locality))
    incident = Incident.objects.get(mission=mission_a)
    assert response.status_code == 302
    assert response["Location"] == url("incident-detail", mission_a, pk=incident.pk)
    assert (incident.killed_men, incident.injured_girls, incident.killed_women) == (3, 1, 0)
    assert incident.reported_by == joc_officer and incident.is_host_state_perpetrator
    assert audited(incident, AuditAction.CREATE)

    edit = url("incident-update", mission_a, pk=incident.pk)
    assert client.get(edit).context["form"]["killed_men"].value() == 3
    response = client.post(edit, incident_post(locality, verification_status="verified"))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.verification_status == "verified"
    assert audited(incident, AuditAction.UPDATE)


def test_a_grave_violation_makes_the_logged_incident_restricted(
    client: Client, joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    violation = GraveViolationFactory(number=1)
    client.force_login(joc_officer)
    client.post(
        url("incident-create", mission_a), incident_post(locality, grave_violations=[violation.pk])
    )
    incident = Incident.objects.get(mission=mission_a)
    assert incident.is_restricted
    # the one who logged it still sees it, but may not lift the restriction
    form = client.get(url("incident-update", mission_a, pk=incident.pk)).context["form"]
    assert form.fields["is_restricted"].disabled


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_on": "not a date"}, "occurred_on"),
        ({"occurred_on": ""}, "occurred_on"),
        ({"killed_men": "-1"}, "killed_men"),
        ({"killed_men": "many"}, "killed_men"),
        ({"incident_type": "nonsense"}, "incident_type"),
        ({"area": "999999"}, "area"),
        ({"latitude": "123"}, None),  # the service's check: the form says it at the top
        ({"ended_on": "2026-03-01"}, "ended_on"),  # before the first day: the model's rule
        ({"occurred_on": "1899-01-01"}, "occurred_on"),  # outside the record dates
    ],
)
def test_bad_incident_input_is_shown_on_the_form(
    client: Client,
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    overrides: dict[str, str],
    field: str | None,
) -> None:
    client.force_login(joc_officer)
    response = client.post(url("incident-create", mission_a), incident_post(locality, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field is not None:
        assert field in form.errors
    assert not Incident.objects.exists()


def test_an_area_of_another_mission_cannot_be_chosen(
    client: Client, joc_officer: User, mission_a: Mission, mission_b: Mission
) -> None:
    client.force_login(joc_officer)
    elsewhere = LocalityFactory(mission=mission_b)
    response = client.post(url("incident-create", mission_a), incident_post(elsewhere))
    assert response.status_code == 200 and "area" in response.context["form"].errors


def alert_post(place: Area, **overrides: Any) -> dict[str, Any]:
    data = {
        "area": place.pk,
        "source": "community_alert_network",
        "severity": "high",
        "summary": "Armed men seen on the road to the market",
        "received_at": "2026-03-10T08:00",
    }
    data.update(overrides)
    return data


def test_an_alert_logged_acknowledged_and_answered_through_the_forms(
    client: Client, joc_officer: User, mission_a: Mission, locality: Area
) -> None:
    mission_a.time_zone = "Africa/Kinshasa"  # UTC+1: the forms read times in the mission's zone
    mission_a.save()
    client.force_login(joc_officer)
    response = client.post(url("alert-create", mission_a), alert_post(locality))
    alert = Alert.objects.get(mission=mission_a)
    assert response.status_code == 302
    assert alert.received_at == datetime.datetime(2026, 3, 10, 7, 0, tzinfo=datetime.UTC)
    assert audited(alert, AuditAction.CREATE)

    detail = client.get(url("alert-detail", mission_a, pk=alert.pk))
    assert detail.context["acknowledge_form"] is not None
    response = client.post(
        url("alert-acknowledge", mission_a, pk=alert.pk), {"acknowledged_at": "2026-03-10T08:30"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at == datetime.datetime(2026, 3, 10, 7, 30, tzinfo=datetime.UTC)
    assert audited(alert, AuditAction.ACKNOWLEDGE)

    tier = Tier.objects.order_by("number").last()
    assert tier is not None
    response = client.post(
        url("alert-response", mission_a, pk=alert.pk),
        {
            "response_tier": tier.pk,
            "response_decided": "A patrol to the market",
            "deployed_at": "2026-03-10T09:00",
            "arrived_at": "2026-03-10T11:00",
            "outcome": AlertOutcome.VIOLENCE_AVERTED,
        },
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.response_time() == datetime.timedelta(hours=3)
    assert alert.response_tier == tier and alert.outcome == AlertOutcome.VIOLENCE_AVERTED

    timeline = client.get(url("alert-detail", mission_a, pk=alert.pk)).context["timeline"]
    assert [step.at for step in timeline[:4]] == [
        alert.received_at,
        alert.acknowledged_at,
        alert.deployed_at,
        alert.arrived_at,
    ]
    assert [step.within_standard for step in timeline] == [None, True, True, True, None]
    assert timeline[-1].note == "Violence averted"
    html = client.get(url("alert-detail", mission_a, pk=alert.pk)).content.decode()
    assert "11:00" in html  # arrival shown in the mission's time, not UTC's 10:00


def test_a_response_past_the_standard_is_said_so(
    client: Client, leadership: User, mission_a: Mission, locality: Area
) -> None:
    received = datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC)
    late = AlertFactory(
        mission=mission_a,
        area=locality,
        received_at=received,
        acknowledged_at=received + datetime.timedelta(hours=1),
        arrived_at=received
        + datetime.timedelta(hours=mission_a.alert_response_standard_hours, minutes=1),
    )
    client.force_login(leadership)
    response = client.get(url("alert-detail", mission_a, pk=late.pk))
    steps = response.context["timeline"]
    assert steps[1].within_standard is True
    assert steps[2].at is None and steps[2].within_standard is False  # never deployed, overdue
    assert steps[3].within_standard is False
    assert "Past the standard" in response.content.decode()
    listing = client.get(url("alert-list", mission_a))
    (row,) = listing.context["rows"]
    assert row.within_standard is False


@pytest.mark.parametrize(
    ("route", "data", "field"),
    [
        ("alert-create", {"received_at": "yesterday"}, "received_at"),
        ("alert-create", {"summary": ""}, "summary"),
        ("alert-create", {"severity": "apocalyptic"}, "severity"),
        ("alert-acknowledge", {"acknowledged_at": "2026-03-01T00:00"}, "acknowledged_at"),
        ("alert-response", {"arrived_at": "2026-03-09T00:00"}, "arrived_at"),
        (
            "alert-response",
            {"deployed_at": "2026-03-10T12:00", "arrived_at": "2026-03-10T11:00"},
            "arrived_at",
        ),
        ("alert-response", {"response_tier": "999999"}, "response_tier"),
    ],
)
def test_bad_alert_input_is_shown_on_the_form(
    client: Client,
    joc_officer: User,
    mission_a: Mission,
    locality: Area,
    alert: Alert,
    route: str,
    data: dict[str, str],
    field: str,
) -> None:
    client.force_login(joc_officer)
    if route == "alert-create":
        target, posted = url(route, mission_a), alert_post(locality, **data)
    else:
        tier = Tier.objects.first()
        assert tier is not None
        base = {"response_tier": tier.pk, "response_decided": "A patrol", "outcome": "pending"}
        target, posted = url(route, mission_a, pk=alert.pk), {**base, **data}
    before = Alert.objects.values_list("updated_at", flat=True).get(pk=alert.pk)
    response = client.post(target, posted)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Alert.objects.count() == 1
    assert Alert.objects.values_list("updated_at", flat=True).get(pk=alert.pk) == before


@pytest.mark.parametrize("role", ["leadership", "secretariat"])
def test_roles_that_cannot_log_are_refused_the_writes(
    request: pytest.FixtureRequest,
    client: Client,
    role: str,
    mission_a: Mission,
    locality: Area,
    alert: Alert,
) -> None:
    user: User = request.getfixturevalue(role)
    client.force_login(user)
    assert (
        client.post(url("incident-create", mission_a), incident_post(locality)).status_code == 403
    )
    assert client.post(url("alert-acknowledge", mission_a, pk=alert.pk), {}).status_code == 403
    assert not Incident.objects.exists()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    listing = client.get(url("alert-list", mission_a)).content.decode()
    assert url("alert-create", mission_a) not in listing


def test_the_filters_are_the_apis_and_keep_to_the_mission(
    client: Client, leadership: User, mission_a: Mission, mission_b: Mission, locality: Area
) -> None:
    host = IncidentFactory(
        mission=mission_a, area=locality, perpetrator_category=PerpetratorCategory.HOST_STATE_FORCES
    )
    other = IncidentFactory(mission=mission_a, area=LocalityFactory(mission=mission_a))
    IncidentFactory(mission=mission_b, area=LocalityFactory(mission=mission_b))
    client.force_login(leadership)

    def shown(params: dict[str, Any]) -> set[int]:
        response = client.get(url("incident-list", mission_a), params)
        assert response.status_code == 200
        return {row.pk for row in response.context["page"].rows}

    assert shown({}) == {host.pk, other.pk}
    assert shown({"is_host_state_perpetrator": "true"}) == {host.pk}
    assert shown({"perpetrator_category": [PerpetratorCategory.NON_STATE_ARMED_GROUP]}) == {
        other.pk
    }
    # a sector takes in the localities below it
    assert shown({"area": locality.sector_id}) == {host.pk}
    assert shown({"occurred_on_after": "2026-03-11"}) == set()
    # another mission's id in the parameters changes nothing: the URL's mission stands
    assert shown({"mission": mission_b.pk}) == {host.pk, other.pk}
    # nonsense is an error on the filter, not a 500
    response = client.get(url("incident-list", mission_a), {"occurred_on_after": "soon"})
    assert response.status_code == 200 and response.context["filters"].form.errors
    # areas of another mission are not offered
    choices = response.context["filters"].form.fields["area"].queryset
    assert set(choices.values_list("mission", flat=True)) == {mission_a.pk}


def test_incidents_are_paged_by_keyset(
    client: Client, leadership: User, mission_a: Mission, locality: Area
) -> None:
    first = datetime.date(2026, 1, 1)
    for day in range(PAGE_SIZE + 5):
        IncidentFactory(
            mission=mission_a, area=locality, occurred_on=first + datetime.timedelta(day // 2)
        )
    client.force_login(leadership)
    newest = client.get(url("incident-list", mission_a)).context["page"]
    assert len(newest.rows) == PAGE_SIZE and newest.newer is None and newest.older
    older = client.get(url("incident-list", mission_a), {"older": newest.older}).context["page"]
    assert len(older.rows) == 5 and older.older is None and older.newer
    assert not {r.pk for r in newest.rows} & {r.pk for r in older.rows}
    back = client.get(url("incident-list", mission_a), {"newer": older.newer}).context["page"]
    assert [r.pk for r in back.rows] == [r.pk for r in newest.rows] and back.newer is None
    # a hand-edited cursor is the first page, not an error
    for cursor in ["2026-99-99~x", "2026-01-01~99999999999999999999999", "~", "2026-01-01~-3"]:
        broken = client.get(url("incident-list", mission_a), {"older": cursor})
        assert broken.status_code == 200 and len(broken.context["page"].rows) == PAGE_SIZE


def test_alerts_are_paged_by_their_time_of_receipt(
    client: Client, leadership: User, mission_a: Mission, locality: Area
) -> None:
    first = datetime.datetime(2026, 3, 1, 6, 0, tzinfo=datetime.UTC)
    for hour in range(PAGE_SIZE + 1):
        AlertFactory(
            mission=mission_a, area=locality, received_at=first + datetime.timedelta(hours=hour)
        )
    client.force_login(leadership)
    newest = client.get(url("alert-list", mission_a)).context["page"]
    older = client.get(url("alert-list", mission_a), {"older": newest.older}).context["page"]
    assert [alert.received_at for alert in older.rows] == [first]
    # a time without its zone (a hand-edited cursor) is read, not refused
    naive = client.get(url("alert-list", mission_a), {"older": "2026-03-01T07:00:00~999999"})
    assert [alert.received_at for alert in naive.context["page"].rows] == [first]


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("route", ["incident-list", "alert-list"])
def test_list_queries_do_not_grow_with_rows(
    client: Client,
    poc_adviser: User,
    mission_a: Mission,
    route: str,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(poc_adviser)
    factory = IncidentFactory if route == "incident-list" else AlertFactory
    factory.create_batch(2, mission=mission_a, area=LocalityFactory(mission=mission_a))
    few = _queries(client, url(route, mission_a))
    for _ in range(8):  # rows in many areas: the area of each row must not cost a query
        factory.create_batch(2, mission=mission_a, area=LocalityFactory(mission=mission_a))
    assert _queries(client, url(route, mission_a)) == few
    # session, user, mission, role, the filter form's areas and threats (and grave violations
    # or tiers), the page of rows, the mission switcher
    with django_assert_max_num_queries(10):
        client.get(url(route, mission_a))


@pytest.mark.parametrize("route", ["incident-detail", "alert-detail"])
def test_detail_pages_take_a_bounded_number_of_queries(
    client: Client,
    poc_adviser: User,
    mission_a: Mission,
    incident: Incident,
    alert: Alert,
    route: str,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(poc_adviser)
    pk = incident.pk if route == "incident-detail" else alert.pk
    # session, user, mission, role, the record with its relations, its grave violations,
    # the mission switcher
    with django_assert_max_num_queries(8):
        assert client.get(url(route, mission_a, pk=pk)).status_code == 200
