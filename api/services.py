"""Issue and revoke a user's own API tokens.

A token is its owner's credential, not a mission's record: the owner alone issues, lists and
revokes theirs, so these writes ask no mission policy, and they stay off the audit trail (which
records changes to the missions' data).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import validate

from .models import ApiToken

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def token_create(
    *, by: User, name: str, read_only: bool = False, expiry: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token to `by`: return it with its secret, which is never stored nor shown again."""
    if expiry is not None and expiry <= timezone.now():
        raise ValidationError({"expiry": _("A token must expire in the future.")})
    # the digest and key are placeholders: the row is only validated, never saved
    unsaved = ApiToken(user=by, name=name, read_only=read_only, digest="-", token_key="-")  # nosec B106
    validate(unsaved)
    return ApiToken.objects.issue(user=by, name=name, read_only=read_only, expiry=expiry)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> None:
    """Revoke one of `by`'s tokens: it authenticates nobody from now on."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("This token is not yours."))
    token.delete()
