"""A content security policy that allows no inline script, and pages that need none (or any
file from elsewhere: missions work offline)."""

import re

import pytest
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
EXTERNAL = re.compile(r"""(?:src|href)=["']https?://""", re.IGNORECASE)
PAGES = [
    "/admin/login/",
    "/admin/",
    "/admin/incidents/incident/",
    "/admin/incidents/incident/add/",
    "/api/schema/swagger-ui/",
    "/api/schema/redoc/",
]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_no_inline_script_and_load_nothing_from_elsewhere(
    path: str, administrator: User
) -> None:
    client = Client()
    if path != "/admin/login/":  # signed in, the sign-in page sends one on
        client.force_login(administrator)

    response = client.get(path)

    assert response.status_code == 200, path
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    html = response.content.decode()
    inline = [
        m["body"].strip()[:80]
        for m in SCRIPT.finditer(html)
        if "src=" not in m["attrs"] and "application/json" not in m["attrs"] and m["body"].strip()
    ]
    assert inline == [], path
    assert not EXTERNAL.search(html), path


def test_swagger_ui_gets_its_script_from_a_url_of_its_own(administrator: User) -> None:
    client = Client()
    client.force_login(administrator)

    page = client.get("/api/schema/swagger-ui/").content.decode()
    script = re.search(r'<script src="([^"]*script[^"]*)"', page)

    assert script is not None
    loaded = client.get(script[1].replace("&amp;", "&"))
    assert loaded.status_code == 200
    assert "SwaggerUIBundle" in loaded.content.decode()
