"""schemathesis over the whole schema, on PostgreSQL, as a JOC officer and as the Secretariat.

Every operation of `/api/schema/` gets a few generated requests (derandomized, so a run is
reproducible) sent over HTTP to a live server whose database holds one record of each
route's model; an `{id}` in a path names that record, so reads and writes find something.
Each response must not be a server error and must match the schema: its status code, its
content type and its body. The server runs in autocommit, as in production (a transactional
test): a write's database error reaches it as it would reach a user, not a test's savepoint.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import requests
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from api.models import ApiToken
from api.urls import router
from missions.models import Mission
from tests.factories.incidents import IncidentFactory

from .routes import RECORDS, make_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="schemathesis runs on PostgreSQL only, the database the API is served from",
    ),
    # the live server answers on its own thread and connection: the records must be committed
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXAMPLES = 3  # per operation and role: the whole test stays under two minutes on two cores
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PATH = re.compile(r"^/api/v1/(?P<prefix>[^/]+)/\{(?P<name>[^}]+)\}/")


def _records(mission: Mission, user: User) -> dict[str, dict[str, Any]]:
    """One record of each route's model in `mission`, as the path parameters naming it."""
    pinned: dict[str, dict[str, Any]] = {}
    for prefix, viewset, _basename in router.registry:
        model = getattr(viewset.queryset, "model", None)  # the token viewset has no queryset
        if model is not None and model._meta.label_lower in RECORDS:
            pinned[prefix] = {"id": make_record(model, mission).pk}
    # a time of day, which a factory leaves empty, so its representation is checked too
    incident = IncidentFactory(mission=mission, occurred_at=datetime.time(14, 30, 15))
    pinned["incidents"] = {"id": incident.pk}
    # a token of the caller's own, other than the one the requests carry (which a DELETE
    # would revoke)
    spare, _ = ApiToken.objects.issue(user=user, name="spare", read_only=False, expiry=None)
    pinned["tokens"] = {"uuid": str(spare.uuid)}
    return pinned


def _schema(user: User) -> Any:
    client = APIClient()
    client.force_authenticate(user)
    raw = client.get("/api/schema/", {"format": "json"}).json()
    return schemathesis.openapi.from_dict(raw)


def _run(
    operation: Any, base_url: str, headers: dict[str, str], pinned: dict[str, Any]
) -> list[str]:
    """Up to EXAMPLES requests to one operation, and the failures they found."""
    failures: list[str] = []
    match = PATH.match(operation.path)
    path_parameters = pinned.get(match["prefix"]) if match else None
    session = requests.Session()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report what was found
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def send(case: Any) -> None:
        try:
            case.call_and_validate(
                base_url=base_url, session=session, headers=headers, checks=CHECKS
            )
        except FailureGroup as group:
            failures.append(f"{operation.label}: {group.exceptions[0].title}\n{group}")

    send()
    return failures


@pytest.mark.parametrize("role", ["joc_officer", "secretariat"])
def test_schemathesis_finds_no_error(
    role: str, request: pytest.FixtureRequest, live_server: Any, mission_a: Mission
) -> None:
    user: User = request.getfixturevalue(role)
    _token, secret = ApiToken.objects.issue(
        user=user, name="schemathesis", read_only=False, expiry=None
    )
    headers = {"Authorization": f"Token {secret}"}
    pinned = _records(mission_a, user)
    schema = _schema(user)
    failures = []
    for result in schema.get_all_operations():
        failures += _run(result.ok(), live_server.url, headers, pinned)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
