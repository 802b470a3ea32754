"""A user's own API tokens: issued once, hashed, named, read-only or expiring, revoked."""

from __future__ import annotations

import base64
import datetime

import pytest
import time_machine
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from api.models import ApiToken
from missions.models import Mission
from tests.factories.accounts import PASSWORD
from tests.factories.missions import LocalityFactory
from tests.factories.threats import ThreatFactory

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"


def _signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def _issue(user: User, **fields: object) -> dict[str, object]:
    response = _signed_in(user).post(TOKENS, {"name": "script", **fields}, format="json")
    assert response.status_code == 201, response.content
    body: dict[str, object] = response.json()
    return body


def test_token_is_shown_once_and_stored_hashed(joc_officer: User) -> None:
    # when a user issues a token
    issued = _issue(joc_officer)
    secret = str(issued["token"])
    # then its secret is in the answer, never in the database nor in the list
    stored = ApiToken.objects.get(uuid=issued["id"])
    assert secret not in {stored.digest, stored.token_key}
    assert stored.name == "script" and stored.user == joc_officer
    listed = _signed_in(joc_officer).get(TOKENS).json()["results"]
    assert [row["id"] for row in listed] == [issued["id"]]
    assert "token" not in listed[0]
    # and the secret authenticates as its owner
    assert _with_token(secret).get("/api/v1/me/").json()["username"] == joc_officer.username


def test_token_list_shows_only_the_callers_tokens(joc_officer: User, poc_adviser: User) -> None:
    mine, theirs = _issue(joc_officer), _issue(poc_adviser)
    client = _signed_in(joc_officer)
    assert [row["id"] for row in client.get(TOKENS).json()["results"]] == [mine["id"]]
    assert client.get(f"{TOKENS}{theirs['id']}/").status_code == 404
    assert client.delete(f"{TOKENS}{theirs['id']}/").status_code == 404
    assert ApiToken.objects.filter(uuid=theirs["id"]).exists()


def test_revoked_token_authenticates_nobody(joc_officer: User) -> None:
    issued = _issue(joc_officer)
    assert _signed_in(joc_officer).delete(f"{TOKENS}{issued['id']}/").status_code == 204
    response = _with_token(str(issued["token"])).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


def test_read_only_token_reads_and_is_refused_every_write(
    poc_adviser: User, mission_a: Mission
) -> None:
    # given a POC adviser's read-only token, and a threat the adviser may change
    threat = ThreatFactory(mission=mission_a, areas=[LocalityFactory(mission=mission_a)])
    client = _with_token(str(_issue(poc_adviser, read_only=True)["token"]))
    url = f"/api/v1/threats/{threat.pk}/"
    # then it reads, and every write is a 403, tokens included
    assert client.get(url).status_code == 200
    assert client.patch(url, {"title": "Renamed"}, format="json").status_code == 403
    assert client.post(f"{url}close/", {}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert client.post(TOKENS, {"name": "more"}, format="json").status_code == 403
    threat.refresh_from_db()
    assert threat.title != "Renamed"
    # while a full token of the same user writes
    writer = _with_token(str(_issue(poc_adviser)["token"]))
    assert writer.patch(url, {"title": "Renamed"}, format="json").status_code == 200


def test_token_expires(joc_officer: User) -> None:
    # given a token that expires in a day
    expiry = timezone.now() + datetime.timedelta(days=1)
    issued = _issue(joc_officer, expiry=expiry.isoformat())
    client = _with_token(str(issued["token"]))
    assert client.get("/api/v1/me/").status_code == 200
    # when the day has passed, then it authenticates nobody
    with time_machine.travel(expiry + datetime.timedelta(minutes=1)):
        assert client.get("/api/v1/me/").status_code == 401


def test_token_expiry_must_be_in_the_future(joc_officer: User) -> None:
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    response = _signed_in(joc_officer).post(TOKENS, {"name": "x", "expiry": past}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "expiry"
    assert not ApiToken.objects.exists()


def test_token_needs_a_name(joc_officer: User) -> None:
    response = _signed_in(joc_officer).post(TOKENS, {"name": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "name"


def test_anonymous_gets_401(db: None) -> None:
    for url in (TOKENS, "/api/v1/me/", "/api/v1/threats/"):
        response = APIClient().get(url)
        assert response.status_code == 401, url
        assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_session_writes_need_the_csrf_token(joc_officer: User, mission_a: Mission) -> None:
    # given a browser signed in with its session
    client = APIClient(enforce_csrf_checks=True)
    # (sign-ins are counted per address: django-axes needs the request a browser's would have)
    assert client.login(request=HttpRequest(), username=joc_officer.username, password=PASSWORD)
    # then a read needs nothing more, and a write without the CSRF token is refused
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post(TOKENS, {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["detail"]


def test_me_shows_the_callers_missions(joc_officer: User, mission_a: Mission) -> None:
    body = _signed_in(joc_officer).get("/api/v1/me/").json()
    assert body["username"] == joc_officer.username
    assert body["memberships"] == [
        {"mission": mission_a.pk, "mission_acronym": mission_a.acronym, "role": "joc_officer"}
    ]


def test_first_token_with_the_password(joc_officer: User) -> None:
    # given a script that has only its user's password
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=_basic(joc_officer.username, PASSWORD))
    # when it asks for a token, then it gets one; a wrong password gets a 401
    assert client.post(TOKENS, {"name": "first"}, format="json").status_code == 201
    client.credentials(HTTP_AUTHORIZATION=_basic(joc_officer.username, "wrong"))
    assert client.post(TOKENS, {"name": "again"}, format="json").status_code == 401
    # and the password opens nothing else
    client.credentials(HTTP_AUTHORIZATION=_basic(joc_officer.username, PASSWORD))
    assert client.get("/api/v1/threats/").status_code == 401


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_each_token_has_its_own_rate_and_past_it_the_api_answers_429(
    joc_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    from api.throttling import TokenRateThrottle

    cache.clear()
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/minute", raising=False)
    first, second = (_with_token(str(_issue(joc_officer)["token"])) for _ in range(2))

    answers = [first.get("/api/v1/me/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert first.get("/api/v1/me/").json()["errors"][0]["code"] == "throttled"
    assert second.get("/api/v1/me/").status_code == 200  # another token, its own count
