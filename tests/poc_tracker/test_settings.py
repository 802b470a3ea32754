"""Start-up behaviour of the settings, each case in a fresh interpreter.

The subprocess gets only the variables a case sets: every setting variable is removed from its
environment, and `environ.Env.read_env` is stubbed out so a developer's `.env` cannot leak in.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

SETTINGS_FILE = Path(settings.BASE_DIR) / "poc_tracker" / "settings.py"
ENV_EXAMPLE = Path(settings.BASE_DIR) / ".env.example"
# env("NAME"), env.bool("NAME", ...), env.db("NAME", ...): every variable the settings read
SETTING_VARIABLES = sorted(
    set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS_FILE.read_text()))
)

IGNORE_DOTENV = "import environ; environ.Env.read_env = lambda *args, **kwargs: None; "


def start(env: dict[str, str], code: str = "") -> subprocess.CompletedProcess:
    """Run `django.setup()` and then `code` in a fresh interpreter with only `env` set."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    clean |= {"DJANGO_SETTINGS_MODULE": "poc_tracker.settings", **env}
    script = IGNORE_DOTENV + "import django; django.setup(); " + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(name: str, env: dict[str, str]) -> str:
    result = start(env, f"from django.conf import settings; print(settings.{name})")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_settings_read_some_variables() -> None:
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= set(SETTING_VARIABLES)


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off() -> None:
    result = start({"DEBUG": "false"})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_settings_debug_is_off_unless_asked_for() -> None:
    result = start({})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_start_without_secret_key_in_debug() -> None:
    assert setting("DEBUG", {"DEBUG": "true"}) == "True"


def test_settings_use_the_given_secret_key() -> None:
    assert setting("SECRET_KEY", {"SECRET_KEY": "k" * 50}) == "k" * 50


def test_settings_default_database_is_sqlite_in_var() -> None:
    name = setting("DATABASES['default']['NAME']", {"DEBUG": "true"})

    assert setting("DATABASES['default']['ENGINE']", {"DEBUG": "true"}) == "core.backends.sqlite3"
    assert Path(name) == Path(settings.BASE_DIR) / "var" / "db.sqlite3"


def test_settings_database_url_chooses_postgresql() -> None:
    env = {"DEBUG": "true", "DATABASE_URL": "postgres://poc:secret@db.example:5433/poc_tracker"}

    database = setting("DATABASES['default']", env)

    assert "'ENGINE': 'django.db.backends.postgresql'" in database
    assert "'NAME': 'poc_tracker'" in database
    assert "'HOST': 'db.example'" in database
    assert "'PORT': 5433" in database


@pytest.mark.parametrize(
    ("broker", "eager"),
    [(None, "True"), ("redis://127.0.0.1:6379/0", "False")],
    ids=["no-broker", "redis"],
)
def test_settings_tasks_run_in_process_only_without_a_broker(
    broker: str | None, eager: str
) -> None:
    env = {"DEBUG": "true"} | ({"CELERY_BROKER_URL": broker} if broker else {})

    assert setting("CELERY_TASK_ALWAYS_EAGER", env) == eager


def test_env_example_lists_every_variable_the_settings_read() -> None:
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))

    assert set(SETTING_VARIABLES) - listed == set()


def test_settings_record_dates_default_from_1900_to_a_year_ahead() -> None:
    assert setting("RECORD_DATES_FROM", {"DEBUG": "true"}) == "1900-01-01"
    assert setting("RECORD_DATES_YEARS_AHEAD", {"DEBUG": "true"}) == "1"


def test_settings_record_dates_may_narrow_the_window() -> None:
    env = {"DEBUG": "true", "RECORD_DATES_FROM": "2000-01-01", "RECORD_DATES_YEARS_AHEAD": "0"}

    assert setting("RECORD_DATES_FROM", env) == "2000-01-01"
    assert setting("RECORD_DATES_YEARS_AHEAD", env) == "0"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RECORD_DATES_FROM", "1899-12-31"),
        ("RECORD_DATES_FROM", "2200-01-01"),
        ("RECORD_DATES_FROM", "last year"),
        ("RECORD_DATES_YEARS_AHEAD", "-1"),
    ],
    ids=["before-the-floor", "after-the-ceiling", "not-a-date", "negative-years"],
)
def test_settings_refuse_a_record_dates_window_the_database_does_not_hold(
    variable: str, value: str
) -> None:
    result = start({"DEBUG": "true", variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


@pytest.mark.parametrize(
    ("name", "production", "development"),
    [
        ("SECURE_SSL_REDIRECT", "True", "False"),
        ("SESSION_COOKIE_SECURE", "True", "False"),
        ("CSRF_COOKIE_SECURE", "True", "False"),
        ("SECURE_HSTS_SECONDS", "31536000", "0"),
        ("SECURE_HSTS_PRELOAD", "True", "False"),
    ],
)
def test_https_only_whenever_debug_is_off(name: str, production: str, development: str) -> None:
    assert setting(name, {"DEBUG": "false", "SECRET_KEY": "k" * 50}) == production
    assert setting(name, {"DEBUG": "true"}) == development


def test_behind_a_tls_proxy_its_header_is_trusted_and_the_redirect_can_be_its_own() -> None:
    env = {"DEBUG": "false", "SECRET_KEY": "k" * 50, "TLS_PROXY": "true"}

    assert setting("SECURE_PROXY_SSL_HEADER", env) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert setting("SECURE_SSL_REDIRECT", env | {"SECURE_SSL_REDIRECT": "false"}) == "False"
