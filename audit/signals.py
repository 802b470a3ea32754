"""Run each Celery task inside an audit context whose id is the task id.

A task's writes then read together, and can be found from the task id in the worker's logs.
These handlers carry context only; no domain flow runs from signals.
"""

from __future__ import annotations

import uuid
from contextvars import Token
from typing import Any

from celery.signals import task_postrun, task_prerun

from .context import enter_request, leave_request

# task id → the token that restores the context the task ran in (an eager task runs inside
# its caller's request). Task ids are unique while a task runs, so one slot each is enough.
_tokens: dict[str, Token[uuid.UUID | None]] = {}


def _task_request_id(task_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(task_id)
    except ValueError:
        # a caller may choose its own task id; the same id still gives the same request id
        return uuid.uuid5(uuid.NAMESPACE_URL, f"celery-task:{task_id}")


@task_prerun.connect(dispatch_uid="audit.enter_task_context")
def enter_task_context(*, task_id: str, **kwargs: Any) -> None:
    _tokens[task_id] = enter_request(_task_request_id(task_id))


@task_postrun.connect(dispatch_uid="audit.leave_task_context")
def leave_task_context(*, task_id: str, **kwargs: Any) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        leave_request(token)
