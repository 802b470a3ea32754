"""Server errors: a database that cannot be reached is a 503 to retry after a while, any other
failure a 500, in the API's error shape under /api/ and as a page elsewhere. (The real outage,
a PostgreSQL server restarted under load, is tests/poc_tracker/test_database_restart.py.)"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from poc_tracker.urls import urlpatterns as project_urls

FAILURES: dict[str, Exception] = {
    "gone": OperationalError("server closed the connection unexpectedly"),
    "closed": InterfaceError("connection already closed"),
    "broken": RuntimeError("a bug"),
}


def page(request: HttpRequest, failure: str) -> HttpResponse:
    raise FAILURES[failure]


@api_view(["GET"])
@permission_classes([AllowAny])
def endpoint(request: Request, failure: str) -> Response:
    raise FAILURES[failure]


urlpatterns = [
    path("api/v1/failing/<str:failure>/", endpoint),
    path("api/v1/before-drf/<str:failure>/", page),  # as a failure in a middleware would be
    path("failing/<str:failure>/", page),
    *project_urls,
]
handler500 = "api.views.server_error"


@pytest.fixture
def client(settings) -> Client:  # noqa: ANN001 - pytest-django's settings fixture
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("failure", ["gone", "closed"])
@pytest.mark.parametrize("where", ["failing", "before-drf"])
def test_an_unreachable_database_is_unavailable_for_a_while(
    client: Client, failure: str, where: str
) -> None:
    answer = client.get(f"/api/v1/{where}/{failure}/")
    assert answer.status_code == 503 and answer["Retry-After"] == "5"
    assert answer.json()["errors"] == [
        {
            "code": "service_unavailable",
            "detail": "The database is unavailable for a moment; try again.",
            "attr": None,
        }
    ]

    page = client.get(f"/failing/{failure}/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "nothing of your last request was saved" in page.content.decode()


@pytest.mark.parametrize("where", ["failing", "before-drf"])
def test_any_other_failure_is_a_server_error(client: Client, where: str) -> None:
    answer = client.get(f"/api/v1/{where}/broken/")
    assert answer.status_code == 500 and "Retry-After" not in answer
    assert answer.json() == {
        "type": "server_error",
        "errors": [{"code": "error", "detail": "Server Error (500)", "attr": None}],
    }
    assert client.get("/failing/broken/").status_code == 500
