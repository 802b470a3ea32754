"""Create, change and remove the people who sign in; administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from core.services import create_record, delete_record, update_record

from .models import User

# Who a person is and what they may reach across missions; passwords and sign-in dates move
# only through their own paths.
USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "global_role",
    "is_active",
    "is_staff",
    "is_superuser",
]


@transaction.atomic
def user_create(*, by: User, password: str | None = None, **fields: Any) -> User:
    """Add a person who can sign in (with a password, or none until one is set)."""
    user = User(**fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return create_record(by=by, instance=user)


@transaction.atomic
def user_update(*, user: User, by: User, data: dict[str, Any]) -> User:
    """Change who a person is or their global role."""
    user, _changed = update_record(by=by, instance=user, data=data, fields=USER_FIELDS)
    return user


@transaction.atomic
def user_set_password(*, user: User, by: User, password: str | None) -> User:
    """Give a person a new password, or none to stop password sign-in.

    The audit trail records that it changed, never the hash.
    """
    data = {"password": make_password(password)}
    user, _changed = update_record(by=by, instance=user, data=data, fields=["password"])
    return user


@transaction.atomic
def user_delete(*, user: User, by: User) -> None:
    """Remove a person; deactivating them keeps their name on what they recorded."""
    delete_record(by=by, instance=user)
