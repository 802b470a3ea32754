"""Settings for fast tests, and the cast every test can call on.

The cast: staff of `mission_a` in each mission role, an `outsider` (POC adviser of
`mission_b`), the global `secretariat` and the `administrator` (named so it does not clash with
pytest-django's `admin_user`).
"""

from collections.abc import Iterator, Sequence

import pytest
from django.conf import settings
from django.utils import translation
from pytest_django.fixtures import Settings

from accounts.models import User
from missions.choices import MissionRole
from missions.models import Mission
from poc_tracker.celery import app as celery_app
from tests.factories.accounts import AdministratorFactory, SecretariatFactory, UserFactory
from tests.factories.missions import MembershipFactory, MissionFactory
from tests.workers import eager_celery_off, worker  # noqa: F401 - fixtures of every test


def pytest_collection_modifyitems(items: Sequence[pytest.Item]) -> None:
    # A transactional test ends with a flush that, after a test with serialized rollback, leaves
    # no content types behind; one without it then writes against a stale ContentType cache,
    # and the next serialized test restores duplicates. So every transactional test restores.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs serialized_rollback=True"
            )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Settings) -> None:
    # MD5 is insecure and fast: hashing the cast's passwords would otherwise dominate run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    # uploaded files (imports) go to a directory of the test run, never the checkout's
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _tasks_in_process() -> Iterator[None]:
    # Even with a broker configured, tasks run in-process so each test sees its own effects;
    # the real-worker test (tests/indicators/test_rollups_worker.py) turns this off.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    # A request through LocaleMiddleware leaves its language active in the thread; without
    # this, a test after one that switched to French reads French messages.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def mission_a(db: None) -> Mission:
    return MissionFactory(acronym="MISSA", name="Mission A", host_country="Country A")


@pytest.fixture
def mission_b(db: None) -> Mission:
    return MissionFactory(acronym="MISSB", name="Mission B", host_country="Country B")


def _member(username: str, mission: Mission, role: str) -> User:
    return MembershipFactory(user=UserFactory(username=username), mission=mission, role=role).user


@pytest.fixture
def joc_officer(mission_a: Mission) -> User:
    return _member("joc-officer", mission_a, MissionRole.JOC_OFFICER)


@pytest.fixture
def poc_adviser(mission_a: Mission) -> User:
    return _member("poc-adviser", mission_a, MissionRole.POC_ADVISER)


@pytest.fixture
def leadership(mission_a: Mission) -> User:
    return _member("leadership", mission_a, MissionRole.LEADERSHIP)


@pytest.fixture
def jmac_analyst(mission_a: Mission) -> User:
    return _member("jmac-analyst", mission_a, MissionRole.JMAC_ANALYST)


@pytest.fixture
def section_staff(mission_a: Mission) -> User:
    return _member("section-staff", mission_a, MissionRole.SECTION_STAFF)


@pytest.fixture
def outsider(mission_b: Mission) -> User:
    return _member("outsider", mission_b, MissionRole.POC_ADVISER)


@pytest.fixture
def secretariat(db: None) -> User:
    return SecretariatFactory(username="secretariat")


@pytest.fixture
def administrator(db: None) -> User:
    return AdministratorFactory(username="administrator")
