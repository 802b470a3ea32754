"""Two-factor sign-in: a person who must confirm their sign-in with a code goes nowhere else
until they have.

Who must is decided at sign-in and again every few minutes (a mission may turn the rule on
while people are signed in), and kept in the session, so an ordinary request asks nothing of
the database: the policy is `missions.permissions.two_factor_required`, or an authenticator the
person turned on themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from api.views import client_error
from missions.permissions import two_factor_required

if TYPE_CHECKING:
    from accounts.models import User

SESSION_KEY = "two_factor"  # [required, checked at (epoch seconds)]
RECHECK_SECONDS = 300
# what a person must reach before confirming: the confirmation page itself, signing out, the
# language switch, and files and health checks that carry nothing of a mission
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/health/")


def must_confirm(user: User) -> bool:
    """Whether `user` confirms their sign-in with a second factor (two queries at most)."""
    return two_factor_required(user) or user_has_device(user, confirmed=True)


@receiver(user_logged_in, dispatch_uid="two_factor_at_sign_in")
def _decide_at_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = [must_confirm(user), time.time()]


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and self._required(request, user)
        ):
            if request.path.startswith("/api/"):
                detail = _("Confirm your sign-in with your authenticator app first.")
                return client_error("two_factor_required", detail, status=403)
            return redirect_to_login(request.get_full_path(), reverse("two-factor"))
        return self.get_response(request)

    @staticmethod
    def _required(request: HttpRequest, user: User) -> bool:
        required, checked_at = request.session.get(SESSION_KEY, [None, 0.0])
        if required is None or time.time() - checked_at > RECHECK_SECONDS:
            required = must_confirm(user)
            request.session[SESSION_KEY] = [required, time.time()]
        return bool(required)
