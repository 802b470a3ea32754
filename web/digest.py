"""The daily digest: each person's "what needs me" by e-mail, as the home page lists it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import User

from .needs import MissionNeeds, needs_of

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)


def digest_recipients() -> Iterator[User]:
    """Active users with an e-mail address and a mission, one query (iterated)."""
    users: Iterator[User] = (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
        .iterator()
    )
    return users


def digest_message(user: User, needs: list[MissionNeeds]) -> EmailMultiAlternatives:
    """The digest of one user, as text and HTML, with links that open the pages."""
    waiting = [entry for entry in needs if entry.items]
    context = {"user": user, "needs": waiting, "site_url": settings.SITE_URL}
    count = sum(entry.total for entry in waiting)
    subject = ngettext(
        "POC Tracker: %(count)s item needs you", "POC Tracker: %(count)s items need you", count
    )
    message = EmailMultiAlternatives(
        subject=subject % {"count": count},
        body=render_to_string("web/email/digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("web/email/digest.html", context), "text/html")
    return message


def digest_send() -> int:
    """Send each user who has something waiting their digest; return how many were sent.

    The User model has no language of its own, so every digest is in the site's default one.
    """
    with translation.override(settings.LANGUAGE_CODE):
        messages = []
        for user in digest_recipients():
            needs = needs_of(user)
            if any(entry.items for entry in needs):
                messages.append(digest_message(user, needs))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
