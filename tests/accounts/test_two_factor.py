"""Two-factor sign-in: required where a mission asks it of the roles that see restricted
records, optional for anyone, asked of the browser, the admin and the API's password sign-in."""

from __future__ import annotations

import base64
import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.middleware import RECHECK_SECONDS
from accounts.models import User
from audit.models import AuditEntry
from missions.models import Mission
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def require_two_factor(mission: Mission) -> None:
    Mission.objects.filter(pk=mission.pk).update(two_factor_required=True)


def signed_in(user: User) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def dashboard(mission: Mission) -> str:
    return reverse("web:dashboard", kwargs={"mission": mission.acronym})


def turn_on(client: Client, user: User) -> TOTPDevice:
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two-factor"), {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def test_nothing_is_asked_where_no_mission_requires_it(
    poc_adviser: User, mission_a: Mission
) -> None:
    assert signed_in(poc_adviser).get(dashboard(mission_a)).status_code == 200


def test_a_role_that_sees_restricted_records_must_set_it_up_first(
    poc_adviser: User, mission_a: Mission
) -> None:
    require_two_factor(mission_a)
    response = signed_in(poc_adviser).get(dashboard(mission_a))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two-factor')}?next={dashboard(mission_a)}"


@pytest.mark.parametrize("role", ["joc_officer", "section_staff", "jmac_analyst", "secretariat"])
def test_roles_that_never_see_restricted_records_are_not_asked(
    role: str, request: pytest.FixtureRequest, mission_a: Mission
) -> None:
    require_two_factor(mission_a)
    user: User = request.getfixturevalue(role)
    assert signed_in(user).get(dashboard(mission_a)).status_code == 200


def test_an_administrator_is_asked_once_any_mission_requires_it(
    administrator: User, mission_a: Mission
) -> None:
    require_two_factor(mission_a)
    assert signed_in(administrator).get(reverse("admin:index")).status_code == 302


def test_setting_up_shows_the_key_refuses_a_wrong_code_and_accepts_the_right_one(
    poc_adviser: User, mission_a: Mission
) -> None:
    require_two_factor(mission_a)
    client = signed_in(poc_adviser)
    with time_machine.travel(NOW, tick=False) as clock:
        page = client.get(reverse("two-factor"))
        device = TOTPDevice.objects.get(user=poc_adviser, confirmed=False)
        assert b"data:image/svg+xml" in page.content
        assert base64.b32encode(device.bin_key).decode()[:4] in page.content.decode()

        wrong = client.post(reverse("two-factor"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "This code is not right" in wrong.content.decode()

        clock.shift(2)  # a wrong code holds off the next try for a second (django-otp)
        right = client.post(
            reverse("two-factor"), {"code": code(device), "next": dashboard(mission_a)}
        )
        assert right["Location"] == dashboard(mission_a)
        assert client.get(dashboard(mission_a)).status_code == 200

    device.refresh_from_db()
    assert device.confirmed
    entry = AuditEntry.objects.get(object_id=device.pk, action="create")
    assert device.key not in str(entry.changes)


def test_the_next_sign_in_asks_for_a_code_again(poc_adviser: User, mission_a: Mission) -> None:
    require_two_factor(mission_a)
    with time_machine.travel(NOW, tick=False):
        device = turn_on(signed_in(poc_adviser), poc_adviser)
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        client = signed_in(poc_adviser)
        assert client.get(dashboard(mission_a)).status_code == 302
        assert client.post(reverse("two-factor"), {"code": code(device)}).status_code == 302
        assert client.get(dashboard(mission_a)).status_code == 200


def test_anyone_may_turn_it_on_and_is_then_asked(joc_officer: User, mission_a: Mission) -> None:
    with time_machine.travel(NOW, tick=False):
        turn_on(signed_in(joc_officer), joc_officer)
    assert signed_in(joc_officer).get(dashboard(mission_a)).status_code == 302


def test_the_api_in_the_browser_answers_403_until_confirmed(
    poc_adviser: User, mission_a: Mission
) -> None:
    require_two_factor(mission_a)
    response = signed_in(poc_adviser).get("/api/v1/missions/")

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "two_factor_required"


def test_a_token_needs_the_code_beside_the_password(poc_adviser: User, mission_a: Mission) -> None:
    require_two_factor(mission_a)
    basic = "Basic " + base64.b64encode(f"{poc_adviser.username}:{PASSWORD}".encode()).decode()
    tokens = reverse("api:token-list")
    refused = Client().post(tokens, {"name": "script"}, HTTP_AUTHORIZATION=basic)
    assert refused.status_code == 401
    assert "OTP-Token" in refused.json()["errors"][0]["detail"]

    with time_machine.travel(NOW, tick=False):
        device = turn_on(signed_in(poc_adviser), poc_adviser)
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        issued = Client().post(
            tokens, {"name": "script"}, HTTP_AUTHORIZATION=basic, HTTP_OTP_TOKEN=code(device)
        )
    assert issued.status_code == 201


def test_a_rule_turned_on_during_a_session_applies_within_minutes(
    poc_adviser: User, mission_a: Mission
) -> None:
    with time_machine.travel(NOW, tick=True):
        client = signed_in(poc_adviser)
        assert client.get(dashboard(mission_a)).status_code == 200
        require_two_factor(mission_a)
    with time_machine.travel(NOW + datetime.timedelta(seconds=RECHECK_SECONDS + 1)):
        assert client.get(dashboard(mission_a)).status_code == 302


def test_an_ordinary_request_asks_the_database_nothing_about_it(
    poc_adviser: User, mission_a: Mission
) -> None:
    client = signed_in(poc_adviser)
    with CaptureQueriesContext(connection) as queries:
        client.get(dashboard(mission_a))
    # the rule's own queries: missions filtered on it, and the authenticators
    asked = [q for q in queries if '"two_factor_required" =' in q["sql"] or "otp_" in q["sql"]]
    assert not asked


def test_only_an_administrator_resets_a_lost_authenticator(
    poc_adviser: User, leadership: User, administrator: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        turn_on(signed_in(poc_adviser), poc_adviser)
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(user=poc_adviser, by=leadership)

    assert services.two_factor_reset(user=poc_adviser, by=administrator) == 1
    assert not TOTPDevice.objects.filter(user=poc_adviser).exists()


def test_the_admin_action_resets_through_the_service(
    poc_adviser: User, administrator: User, client: Client
) -> None:
    with time_machine.travel(NOW, tick=False):
        turn_on(signed_in(poc_adviser), poc_adviser)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [poc_adviser.pk]},
        follow=True,
    )

    assert "1 authenticator removed" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=poc_adviser).exists()
    assert AuditEntry.objects.filter(action="delete", actor=administrator).exists()
