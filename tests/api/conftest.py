"""Settings every API test shares."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    # the schema viewers link static files; the manifest only exists after collectstatic
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_rates() -> None:
    # the batch rate counts requests in the cache, by user id: ids come again across tests
    cache.clear()
