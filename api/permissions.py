"""The API's one permission class: it asks the policy of `missions.permissions`.

Reads are scoped by the viewsets' querysets (`api.viewsets.ScopedViewSet`), so a record the
user may not see is a 404 before any permission is asked. A write needs the verb the view
declares for it: the policy must allow it on the record (403 otherwise), or, for a record not
yet created, somewhere (the service then checks the record's own mission).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from missions.permissions import Verb, can, can_somewhere

from .models import ApiToken

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

# The verb each of DRF's standard write actions needs; workflow actions declare theirs.
ACTION_VERBS = {
    "create": Verb.CREATE,
    "update": Verb.CHANGE,
    "partial_update": Verb.CHANGE,
    "destroy": Verb.DELETE,
}


def view_verb(view: APIView) -> Verb | None:
    """The verb a write through this view needs: its action's, or the one it declares."""
    declared: Verb | None = getattr(view, "verb", None)
    return declared or ACTION_VERBS.get(getattr(view, "action", "") or "")


def is_read_only_token(request: Request) -> bool:
    return isinstance(request.auth, ApiToken) and request.auth.read_only


class ReadOnlyTokenPermission(BasePermission):
    """Signed in, and no write with a read-only token."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method not in SAFE_METHODS and is_read_only_token(request):
            self.message = _("This token is read-only.")
            return False
        return True


class PolicyPermission(ReadOnlyTokenPermission):
    """A write is allowed when the policy lets the user perform the view's verb."""

    message = _("You are not allowed to do this in this mission.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        verb = view_verb(view)
        model = getattr(view, "model", None)
        if verb is None or model is None:
            return False  # a write nobody declared is nobody's
        if verb == Verb.CREATE and not getattr(view, "detail", False):
            return can_somewhere(request.user, verb, model)
        return True  # decided on the record, in has_object_permission (a 404 if unseen)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        verb = view_verb(view)
        return verb is not None and can(request.user, verb, obj)
