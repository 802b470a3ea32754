"""The OpenAPI schema is valid, documents every operation's errors, and its viewers are local."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def schema(joc_officer: User) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(joc_officer)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", *WRITES}
    ]


def test_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate(schema)  # raises on any violation of the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")


def test_every_operation_documents_its_errors(schema: dict[str, Any]) -> None:
    missing = []
    for path, method, operation in _operations(schema):
        expected = {"401", "403"}
        if "{" in path or "cursor" in str(operation.get("parameters", [])):
            expected.add("404")  # a record that is not the caller's, or a stale cursor
        if method in WRITES:
            expected |= {"400", "409"}
        if method in {"put", "patch", "delete"} and "/tokens/" not in path:
            expected.add("412")  # a stale If-Match
        if method == "get" and not path.endswith("/me/") and "{" not in path:
            expected.add("400")  # filters
        lacking = expected - set(operation["responses"])
        if lacking:
            missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert not missing, "\n".join(missing)


def test_error_responses_have_the_one_shape(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for _path, _method, operation in _operations(schema):
        for status in ("401", "403", "404"):
            if status in operation["responses"]:
                ref = operation["responses"][status]["content"]["application/json"]["schema"]
                shape = components[ref["$ref"].rsplit("/", 1)[1]]
                assert set(shape["properties"]) == {"type", "errors"}


def test_viewers_are_served_without_a_cdn(joc_officer: User) -> None:
    client = APIClient()
    client.force_authenticate(joc_officer)
    for url in ("/api/schema/swagger-ui/", "/api/schema/redoc/"):
        page = client.get(url).content.decode()
        assert "drf_spectacular_sidecar" in page, url
        assert "cdn." not in page, url


def test_schema_generates_without_warnings() -> None:
    # a warning is a choice set or a field the schema cannot name or type: fix it, not this
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())


def test_reads_with_a_brief_form_document_it(schema: dict[str, Any]) -> None:
    # each record of a read is its full or its brief representation, and the brief one is
    # exactly its fields: a client validating `?brief=true` answers against the schema
    components = schema["components"]["schemas"]
    documented = 0
    for path, method, operation in _operations(schema):
        if method != "get" or not any(
            p["name"] == "brief" for p in operation.get("parameters", [])
        ):
            continue
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if "$ref" in body:  # a page of records
            body = components[body["$ref"].rsplit("/", 1)[1]]["properties"]["results"]["items"]
        refs = [ref["$ref"].rsplit("/", 1)[1] for ref in body["anyOf"]]
        brief = components[refs[1]]
        assert refs[1] == f"{refs[0]}Brief", path
        assert brief["additionalProperties"] is False, path
        assert set(brief["properties"]) < set(components[refs[0]]["properties"]), path
        documented += 1
    assert documented > 20


def test_times_of_day_have_a_pattern_not_rfc3339(schema: dict[str, Any]) -> None:
    # RFC 3339's `format: time` requires an offset; a local time of day has none
    occurred_at = schema["components"]["schemas"]["Incident"]["properties"]["occurred_at"]
    assert "format" not in occurred_at
    assert occurred_at["pattern"].startswith("^")
