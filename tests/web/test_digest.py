"""The daily digest: each user with something waiting gets one mail listing it, nobody else."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from pytest_django.fixtures import Settings

from accounts.models import User
from missions.models import Mission
from tests.factories.missions import MembershipFactory
from web.tasks import send_digests_task

from .test_home import _now, waiting  # noqa: F401 - the frozen day and its items

pytestmark = pytest.mark.usefixtures("_now")


@pytest.fixture(autouse=True)
def _outbox(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://poc.example.org"


def test_digest_is_on_the_beat_schedule_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["send-digests"]

    assert entry["task"] == "web.tasks.send_digests_task"
    assert entry["schedule"].hour == {4}
    assert entry["schedule"].minute == {0}


@pytest.mark.usefixtures("waiting")
def test_digest_sends_one_mail_to_each_user_with_items_only(
    poc_adviser: User, leadership: User, joc_officer: User, outsider: User
) -> None:
    # given leadership has nothing waiting, and a POC adviser without an e-mail address
    MembershipFactory(user__email="", mission=poc_adviser.memberships.get().mission)

    # when
    sent = send_digests_task.delay().get()

    # then: the POC adviser, the JOC officer and the outsider, one mail each
    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [poc_adviser.email, joc_officer.email, outsider.email]
    )


@pytest.mark.usefixtures("waiting")
def test_digest_lists_the_items_with_links_in_text_and_html(
    poc_adviser: User, mission_a: Mission
) -> None:
    send_digests_task.delay().get()

    message = next(m for m in mail.outbox if m.to == [poc_adviser.email])
    assert message.subject == "POC Tracker: 4 items need you"
    assert "2 observations to validate" in message.body
    assert f"https://poc.example.org/missions/{mission_a.acronym}/validation/" in message.body
    assert "MISSB" not in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "1 threat due for review" in html
    assert f'href="https://poc.example.org/missions/{mission_a.acronym}/validation/"' in html


def test_digest_sends_nothing_when_nothing_waits(poc_adviser: User, joc_officer: User) -> None:
    assert send_digests_task.delay().get() == 0
    assert mail.outbox == []


@pytest.mark.usefixtures("waiting")
def test_digest_is_in_the_sites_language(settings: Settings, poc_adviser: User) -> None:
    # The User model has no language of its own: the digest follows the site's default, so
    # with French as the default, Django's own French (the HTML's lang) is in force.
    settings.LANGUAGE_CODE = "fr"

    send_digests_task.delay().get()

    html, _kind = mail.outbox[0].alternatives[0]
    assert '<html lang="fr">' in html
