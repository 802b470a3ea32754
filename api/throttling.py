"""Rates of the API: every request per token, and the heavy ones (batches) apart.

Counts live in the cache: shared by every process once `CACHE_URL` names Redis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import UserRateThrottle

from .models import ApiToken

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class TokenRateThrottle(UserRateThrottle):
    """Requests a token may make, at the rate `API_RATE` sets (a 429 past it).

    A script's tokens each have their own count; a browser's session counts for its user, and
    a request signed in by neither for its address.
    """

    scope = "api"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)


class BatchRateThrottle(UserRateThrottle):
    """Batches a user may send, at the rate `API_BATCH_RATE` sets (a 429 past it)."""

    scope = "batch"
