"""Create, change and remove the people who sign in; administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_create, audit_delete
from core.services import create_record, delete_record, update_record
from missions.permissions import Verb, require

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


# --- Two-factor sign-in ------------------------------------------------------------------------
# A person has at most one authenticator app. Its secret key never reaches the audit trail:
# the entries say that two-factor sign-in was turned on or reset, and by whom.
AUTHENTICATOR_NAME = "authenticator app"


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """The authenticator `user` is setting up: the one they started, or a new secret."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is not None:
        return pending
    device: TOTPDevice = TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=False
    )
    return device


@transaction.atomic
def two_factor_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Turn on the authenticator being set up once it shows a right code; False otherwise.

    It replaces any earlier authenticator of the same person (a new phone).
    """
    if device.confirmed or not device.verify_token(token):
        return False
    user = device.user
    for earlier in TOTPDevice.objects.filter(user=user, confirmed=True):
        audit_delete(by=user, instance=earlier, before=_device_facts(earlier))
        earlier.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_create(by=user, instance=device, after=_device_facts(device))
    return True


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> int:
    """Remove a person's authenticator (a lost phone); they set up a new one at their next
    sign-in. Changing a person is the administrators'. Returns how many were removed."""
    require(by, Verb.CHANGE, user)
    devices = list(TOTPDevice.objects.filter(user=user))
    for device in devices:
        audit_delete(by=by, instance=device, before=_device_facts(device))
        device.delete()
    return len(devices)


def _device_facts(device: TOTPDevice) -> dict[str, Any]:
    return {"user": device.user_id, "name": device.name, "confirmed": device.confirmed}
