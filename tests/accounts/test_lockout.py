"""Repeated failed sign-ins lock the username out from that address, in the admin's sign-in
and the API's password sign-in for tokens alike."""

import base64

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "right-horse-battery"


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_the_admin_sign_in_locks_out_after_repeated_failures() -> None:
    user = UserFactory(username="officer", password=PASSWORD, is_staff=True)
    client = Client()
    url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": user.username, "password": "wrong"})
    # still allowed one below the limit: the right password gets in
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302
    client.logout()

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.username, "password": "wrong"})
    locked = client.post(url, {"username": user.username, "password": PASSWORD})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_api_token_sign_in_locks_out_after_repeated_failures() -> None:
    user = UserFactory(username="tablet", password=PASSWORD)
    client = Client()
    url = reverse("api:token-list")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.get(url, HTTP_AUTHORIZATION=_basic(user.username, "wrong"))
        assert response.status_code == 401

    locked = client.get(url, HTTP_AUTHORIZATION=_basic(user.username, PASSWORD))

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()


def test_another_username_from_the_same_address_is_not_locked_out() -> None:
    UserFactory(username="victim", password=PASSWORD)
    UserFactory(username="colleague", password=PASSWORD, is_staff=True)
    client = Client()
    url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "victim", "password": "wrong"})

    assert client.post(url, {"username": "colleague", "password": PASSWORD}).status_code == 302
