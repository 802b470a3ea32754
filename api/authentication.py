"""Token authentication: knox's, in one query rather than two."""

from __future__ import annotations

import binascii
from hmac import compare_digest
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from .models import ApiToken


class TokenAuthentication(auth.TokenAuthentication):  # type: ignore[misc]  # knox is untyped
    """knox's check, which reads all the user's tokens on every request to delete those
    expired: here the token's own query says whether the user has any, and knox's clean-up
    runs only then. The rest is knox's: the token found by its first characters and compared
    by digest, refused (and deleted) once expired."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        msg = _("Invalid token.")
        secret = token.decode("utf-8")
        expired = ApiToken.objects.filter(user=OuterRef("user"), expiry__lt=timezone.now())
        candidates = (
            ApiToken.objects.filter(token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(others_expired=Exists(expired.exclude(digest=OuterRef("digest"))))
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(secret)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(msg) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)  # type: ignore[no-any-return]  # knox is untyped
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        if auth_token.others_expired:  # type: ignore[attr-defined]  # annotated above
            return super()._cleanup_token(auth_token)  # type: ignore[no-any-return]
        # knox's check of the token itself, with no other token to delete
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=type(self), username=username, source="auth_token")
            return True
        return False
