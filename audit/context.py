"""The request id: one per web request or background task, shared by the entries it writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

_request_id: ContextVar[uuid.UUID | None] = ContextVar("audit_request_id", default=None)


def current_request_id() -> uuid.UUID:
    """Return the id of the current request or task.

    Outside any (a shell, a management command), one is made on first use and kept for the
    rest of that context, so a command's changes read together too.
    """
    request_id = _request_id.get()
    if request_id is None:
        request_id = uuid.uuid4()
        _request_id.set(request_id)
    return request_id


def request_id_if_any() -> uuid.UUID | None:
    """The current request or task's id, or None outside any (nothing is made up)."""
    return _request_id.get()


def enter_request(request_id: uuid.UUID) -> Token[uuid.UUID | None]:
    """Make `request_id` current until `leave_request` is given the returned token.

    For code that cannot wrap its work in a `with` block, such as Celery's start and end
    signals; everything else uses `audit_context`.
    """
    return _request_id.set(request_id)


def leave_request(token: Token[uuid.UUID | None]) -> None:
    """Restore the request id that was current before `enter_request` returned `token`."""
    _request_id.reset(token)


@contextmanager
def audit_context(request_id: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    """Run the block with `request_id` (a new one if None) as the current request id."""
    request_id = request_id or uuid.uuid4()
    token = enter_request(request_id)
    try:
        yield request_id
    finally:
        leave_request(token)
