"""Clients of the API, signed in by session or by token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api() -> APIClient:
    return APIClient()
