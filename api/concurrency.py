"""Optimistic concurrency: a record's ETag, and the 412 of a write made on a stale copy.

The ETag names the record's version: its type, id and the instant it last changed. A PUT,
PATCH or DELETE that carries `If-Match` is refused with 412 unless the record is still at that
version, checked on the row locked for the write, so two officers editing one incident cannot
overwrite each other silently. A write without `If-Match` is not checked.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("This record has changed since you read it. Read it again, then retry.")
    default_code = "precondition_failed"


def etag(record: models.Model) -> str | None:
    """The quoted ETag of a record's version, or None for a record that dates no change."""
    changed = getattr(record, "updated_at", None)
    if changed is None:
        return None
    version = f"{record._meta.label_lower}:{record.pk}:{changed.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


def require_fresh(request: Request, record: models.Model) -> None:
    """Refuse the write if it names, in `If-Match`, a version the record no longer has."""
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    current = etag(record)
    if current is not None and current not in {tag.strip() for tag in wanted.split(",")}:
        raise PreconditionFailed()
