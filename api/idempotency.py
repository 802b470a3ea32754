"""Idempotent writes: a request retried with the same `Idempotency-Key` gets the first answer.

The key's row is inserted first, in the request's transaction, and the work and its answer
follow in that same transaction. A retry arriving while the first request runs finds the key's
row taken: on PostgreSQL its `INSERT … ON CONFLICT DO NOTHING` waits on the unique index until
the first request commits (then it reads the stored answer) or rolls back (then it does the
work itself). The row is never seen half done, so nothing is created twice.

An answer is kept when the request was decided by what it sent: created (2xx), or refused for
its contents (400). Any other refusal (not signed in, not allowed, a conflict, a crash) rolls
the key back with the work, so a retry runs afresh. The same key with another body, method or
path is a 422. Keys live a day (`LIFETIME`); each keyed request first purges those past it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User

from .models import IdempotencyRecord

if TYPE_CHECKING:
    from rest_framework.views import APIView

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"  # on a replayed answer, as Stripe's API says it
LIFETIME = datetime.timedelta(hours=24)
MAX_KEY = IdempotencyRecord._meta.get_field("key").max_length or 255


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was first sent with another request. Use a new key for a new request."
    )
    default_code = "idempotency_key_reused"


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and not 0 < len(key.strip()) <= MAX_KEY:
        raise exceptions.ValidationError(
            {HEADER: [_("Give a key of 1 to %(n)s characters.") % {"n": MAX_KEY}]}
        )
    return None if key is None else key.strip()


def _fingerprint(request: Request) -> str:
    # the parsed body, so that the same records sent with other spacing are the same request
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def purge_expired() -> int:
    """Forget the keys past their lifetime; return how many."""
    deleted, _rows = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - LIFETIME
    ).delete()
    return deleted


def _claim(request: Request, key: str, fingerprint: str) -> IdempotencyRecord:
    """The key's row, locked: inserted now, or the one a first request committed."""
    user = request.user
    assert isinstance(user, User), "signed in: the permission class let nobody else through"
    IdempotencyRecord.objects.bulk_create(
        [
            IdempotencyRecord(
                user=user,
                key=key,
                method=request.method or "",
                path=request.path[:255],
                fingerprint=fingerprint,
            )
        ],
        ignore_conflicts=True,  # waits for a first request still running, then does nothing
    )
    return IdempotencyRecord.objects.select_for_update().get(user=user, key=key)


def idempotent(view: APIView, request: Request, run: Callable[[], Response]) -> Response:
    """Answer with `run()`, in one transaction; with a key, once per key and user."""
    key = _key(request)
    if key is None:
        with transaction.atomic():
            return run()
    fingerprint = _fingerprint(request)
    with transaction.atomic():  # alone: the purge commits before the work begins
        purge_expired()
    with transaction.atomic():
        record = _claim(request, key, fingerprint)
        if record.status_code is not None:
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return Response(
                record.response_body, status=record.status_code, headers={REPLAYED: "true"}
            )
        try:
            with transaction.atomic():
                response = run()
        except (exceptions.ValidationError, DjangoValidationError) as refusal:
            response = view.handle_exception(refusal)  # the 400 of the batch's contents
        record.status_code = response.status_code
        record.response_body = response.data
        record.save(update_fields=["status_code", "response_body"])
    return response
