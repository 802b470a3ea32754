"""`/health/`: what a load balancer or a monitor asks of each web machine.

The database, the cache and the file storage always; with a broker, the broker itself and the
Celery workers (at least one must answer a ping). `?format=json` answers in JSON; any failing
check makes the answer a 500.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from health_check.views import HealthCheckView


def health_checks() -> list[Any]:
    checks: list[Any] = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
    ]
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        from redis.asyncio import Redis

        checks.append(
            ("health_check.contrib.redis.Redis", {"client_factory": lambda: Redis.from_url(broker)})
        )
    if broker:
        checks.append(
            ("health_check.contrib.celery.Ping", {"timeout": datetime.timedelta(seconds=2)})
        )
    return checks


def health_view() -> Any:
    return HealthCheckView.as_view(checks=health_checks())
