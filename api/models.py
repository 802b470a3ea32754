"""API tokens: knox's hashed tokens, with the name and reach their owner gave them."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import get_digest_token
from knox.settings import CONSTANTS

if TYPE_CHECKING:
    from accounts.models import User


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(
        self, *, user: User, name: str, read_only: bool, expiry: datetime.datetime | None
    ) -> tuple[ApiToken, str]:
        """Draw a secret and store only its digest, as knox's own manager does."""
        digest, secret = get_digest_token()
        token = self.create(
            digest=digest,
            token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH],
            user=user,
            name=name,
            read_only=read_only,
            expiry=expiry,
        )
        return token, str(secret)


class ApiToken(models.Model):
    """A token a user issued to a script of theirs, stored hashed and shown once.

    It acts as its owner, within the owner's own rights; a read-only token may only read. The
    public `uuid` names it in the API, so neither the secret nor its digest ever leaves the
    server after creation. The first five fields are those knox reads (its `AbstractAuthToken`,
    spelled out so that the type checker knows them).
    """

    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, primary_key=True)
    token_key = models.CharField(
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,  # knox finds a token by its first characters, then compares digests
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="auth_token_set",  # the name knox reads
        verbose_name=_("user"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("A read-only token is refused every write.")
    )

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="%(app_label)s_%(class)s_name_not_blank"
            )
        ]

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The answer given to a request sent with an `Idempotency-Key`, replayed to its retries.

    A field device on a poor connection cannot tell a batch that was lost from one whose answer
    was: it sends the batch again with the same key, and gets the first answer instead of a
    second batch. A key is its user's own, and lives a day (`api.idempotency`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=255)
    fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        help_text=_("A digest of the method, path and body the key was first sent with."),
    )
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True)
    response_body = models.JSONField(_("response body"), encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        ordering = ["-created_at"]
        constraints = [
            # the row a retry waits for: its insert blocks until the first request's commits
            models.UniqueConstraint(
                fields=["user", "key"], name="%(app_label)s_%(class)s_one_per_user_key"
            )
        ]
        indexes = [
            # the purge: keys past their lifetime
            models.Index(fields=["created_at"], name="api_idempotency_created_idx")
        ]

    def __str__(self) -> str:
        return self.key
