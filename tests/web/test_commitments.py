"""The commitment tracker and the targets: every member reads them, the roles the policy lets
manage them edit them, through the services; another mission's are not found."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils.html import escape

from accounts.models import User
from audit.models import AuditEntry
from commitments.choices import ImplementationStatus
from commitments.models import CommitmentAction, CommitmentImplementation, KeyElement
from core.choices import Component
from indicators.models import Indicator, IndicatorTarget
from missions.choices import MissionRole
from missions.models import Mission
from missions.permissions import MISSION_POLICY, Action
from tests.factories.accounts import AdministratorFactory, SecretariatFactory
from tests.factories.commitments import (
    CommitmentActionFactory,
    CommitmentImplementationFactory,
)
from tests.factories.indicators import IndicatorTargetFactory
from tests.factories.missions import MembershipFactory


def element() -> KeyElement:
    return KeyElement.objects.order_by("paragraph__number", "number").first()  # type: ignore[return-value]


def _page_paths(mission: Mission) -> dict[str, tuple[str, Action]]:
    """Each page of the part, and the action it needs."""
    implementation = CommitmentImplementationFactory(mission=mission, key_element=element())
    action = CommitmentActionFactory(implementation=implementation)
    target = IndicatorTargetFactory(mission=mission, indicator=Indicator.objects.first())
    base = f"/missions/{mission.acronym}"
    code = implementation.key_element.code
    return {
        "tracker": (f"{base}/commitments/", Action.VIEW),
        "implementation": (f"{base}/commitments/{code}/", Action.MANAGE_COMMITMENTS),
        "new action": (f"{base}/commitments/{code}/actions/new/", Action.MANAGE_COMMITMENTS),
        "action": (f"{base}/commitments/actions/{action.pk}/", Action.MANAGE_COMMITMENTS),
        "targets": (f"{base}/targets/", Action.VIEW),
        "new target": (f"{base}/targets/new/", Action.MANAGE_TARGETS),
        "target": (f"{base}/targets/{target.pk}/", Action.MANAGE_TARGETS),
    }


CAST = [
    *((role, actions) for role, actions in MISSION_POLICY.items()),
    ("secretariat", frozenset({Action.VIEW})),
    ("administrator", frozenset(Action)),
]


def _user(who: str, mission: Mission) -> User:
    if who == "secretariat":
        return SecretariatFactory()
    if who == "administrator":
        return AdministratorFactory()
    return MembershipFactory(mission=mission, role=who).user


@pytest.mark.parametrize(("who", "actions"), CAST)
def test_pages_open_to_the_roles_the_policy_allows(
    client: Client, mission_a: Mission, who: str, actions: frozenset[Action]
) -> None:
    pages = _page_paths(mission_a)
    client.force_login(_user(who, mission_a))

    answers = {name: client.get(url).status_code for name, (url, _) in pages.items()}

    assert answers == {
        name: 200 if needed in actions else 403 for name, (_, needed) in pages.items()
    }


def test_pages_of_another_mission_are_not_found(
    client: Client, mission_a: Mission, outsider: User
) -> None:
    pages = _page_paths(mission_a)
    client.force_login(outsider)

    assert {client.get(url).status_code for url, _ in pages.values()} == {404}


def test_an_action_of_another_mission_is_not_found_even_to_a_manager(
    client: Client, mission_b: Mission, poc_adviser: User, mission_a: Mission
) -> None:
    action = CommitmentActionFactory(implementation__mission=mission_b)
    client.force_login(poc_adviser)

    response = client.get(f"/missions/{mission_a.acronym}/commitments/actions/{action.pk}/")

    assert response.status_code == 404


def test_tracker_shows_each_key_element_and_the_other_paragraphs(
    client: Client, mission_a: Mission, leadership: User, django_assert_max_num_queries
) -> None:
    implementation = CommitmentImplementationFactory(
        mission=mission_a, key_element=element(), evidence="Protection strategy adopted."
    )
    CommitmentActionFactory(implementation=implementation, description="Train focal points")
    client.force_login(leadership)

    # session, user, mission, role; key elements, implementations, their actions, the other
    # paragraphs; the mission switcher
    with django_assert_max_num_queries(9):
        page = client.get(f"/missions/{mission_a.acronym}/commitments/").content.decode()

    for key_element in KeyElement.objects.all():
        assert key_element.label in page
    assert "Protection strategy adopted." in page
    assert "Train focal points" in page
    assert "The other A4P paragraphs" in page
    assert "Update status and evidence" not in page  # leadership reads only


def test_starting_to_track_an_element_goes_through_the_service(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    client.force_login(poc_adviser)
    code = element().code

    response = client.post(
        f"/missions/{mission_a.acronym}/commitments/{code}/",
        {
            "status": ImplementationStatus.ON_TRACK,
            "responsible_component": Component.POC_UNIT,
            "evidence": "Strategy signed",
            "last_reviewed_on": "2026-03-01",
        },
    )

    assert response.status_code == 302
    implementation = CommitmentImplementation.objects.get(mission=mission_a)
    assert implementation.evidence == "Strategy signed"
    assert implementation.reviewed_by == poc_adviser  # set by implementation_update's rules
    assert AuditEntry.objects.filter(object_id=str(implementation.pk)).exists()


def test_updating_status_and_evidence_goes_through_the_service(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    implementation = CommitmentImplementationFactory(mission=mission_a, key_element=element())
    client.force_login(poc_adviser)

    client.post(
        f"/missions/{mission_a.acronym}/commitments/{implementation.key_element.code}/",
        {
            "status": ImplementationStatus.DELAYED,
            "responsible_component": Component.POC_UNIT,
            "evidence": "Funding late",
        },
    )

    implementation.refresh_from_db()
    assert implementation.status == ImplementationStatus.DELAYED
    assert implementation.evidence == "Funding late"
    assert AuditEntry.objects.filter(object_id=str(implementation.pk), action="update").exists()


def test_adding_and_editing_an_action(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    implementation = CommitmentImplementationFactory(mission=mission_a, key_element=element())
    client.force_login(poc_adviser)
    base = f"/missions/{mission_a.acronym}/commitments"

    client.post(
        f"{base}/{implementation.key_element.code}/actions/new/",
        {"description": "Map hotspots", "component": Component.MILITARY, "status": "planned"},
    )
    action = CommitmentAction.objects.get(implementation=implementation)
    client.post(
        f"{base}/actions/{action.pk}/",
        {
            "description": "Map hotspots",
            "component": Component.MILITARY,
            "status": "done",
            "done_on": "2026-03-02",
        },
    )

    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", datetime.date(2026, 3, 2))


def test_an_action_done_on_without_being_done_is_an_error_not_a_500(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    implementation = CommitmentImplementationFactory(mission=mission_a, key_element=element())
    client.force_login(poc_adviser)

    response = client.post(
        f"/missions/{mission_a.acronym}/commitments/{implementation.key_element.code}/actions/new/",
        {
            "description": "Map hotspots",
            "component": Component.MILITARY,
            "status": "planned",
            "done_on": "2026-03-02",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CommitmentAction.objects.exists()


def test_a_bad_date_and_a_missing_choice_are_field_errors(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    client.force_login(poc_adviser)

    response = client.post(
        f"/missions/{mission_a.acronym}/commitments/{element().code}/",
        {"status": "nonsense", "due_on": "31/31/2026"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"status", "due_on", "responsible_component"}


def test_targets_page_shows_targets_beside_definition_and_computation(
    client: Client,
    mission_a: Mission,
    mission_b: Mission,
    jmac_analyst: User,
    django_assert_max_num_queries,
) -> None:
    indicator = Indicator.objects.get(code="POC-10")
    IndicatorTargetFactory(mission=mission_a, indicator=indicator, baseline=61, target=Decimal(80))
    IndicatorTargetFactory(mission=mission_b, indicator=indicator, target=Decimal(12345))
    client.force_login(jmac_analyst)

    # session, user, mission, role; indicators with their elements and tiers, their targets;
    # the mission switcher
    with django_assert_max_num_queries(7):
        page = client.get(f"/missions/{mission_a.acronym}/targets/").content.decode()

    assert escape(indicator.definition) in page
    assert str(indicator.get_method_display()) in page
    assert "61" in page and "80" in page
    assert "12345" not in page  # mission B's
    assert "Set a target" not in page  # JMAC may not manage targets


def test_setting_a_target_goes_through_the_service(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    client.force_login(poc_adviser)

    response = client.post(
        f"/missions/{mission_a.acronym}/targets/new/",
        {
            "indicator": "POC-10",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "baseline": "61",
            "target": "80",
        },
    )

    assert response.status_code == 302
    target = IndicatorTarget.objects.get(mission=mission_a)
    assert (target.indicator.code, target.target) == ("POC-10", Decimal(80))
    assert AuditEntry.objects.filter(object_id=str(target.pk), action="create").exists()


def test_a_target_ending_before_it_starts_is_an_error_not_a_500(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    client.force_login(poc_adviser)

    response = client.post(
        f"/missions/{mission_a.acronym}/targets/new/",
        {
            "indicator": "POC-10",
            "period_start": "2026-12-31",
            "period_end": "2026-01-01",
            "target": "80",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not IndicatorTarget.objects.exists()


def test_a_second_target_for_the_same_period_is_an_error_not_a_500(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    indicator = Indicator.objects.get(code="POC-10")
    IndicatorTargetFactory(mission=mission_a, indicator=indicator)
    client.force_login(poc_adviser)

    response = client.post(
        f"/missions/{mission_a.acronym}/targets/new/",
        {
            "indicator": "POC-10",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "target": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert IndicatorTarget.objects.count() == 1


def test_changing_and_removing_a_target(
    client: Client, mission_a: Mission, poc_adviser: User
) -> None:
    target = IndicatorTargetFactory(mission=mission_a, indicator=Indicator.objects.first())
    client.force_login(poc_adviser)
    url = f"/missions/{mission_a.acronym}/targets/{target.pk}/"

    client.post(url, {"period_start": "2026-01-01", "period_end": "2026-12-31", "target": "30"})
    target.refresh_from_db()
    assert target.target == Decimal(30)

    client.post(f"{url}delete/")
    assert not IndicatorTarget.objects.exists()


def test_a_member_who_may_not_manage_targets_cannot_post_one(
    client: Client, mission_a: Mission, joc_officer: User
) -> None:
    client.force_login(joc_officer)

    response = client.post(
        f"/missions/{mission_a.acronym}/targets/new/",
        {
            "indicator": "POC-10",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "target": "80",
        },
    )

    assert response.status_code == 403
    assert MissionRole.JOC_OFFICER in MISSION_POLICY
    assert not IndicatorTarget.objects.exists()
