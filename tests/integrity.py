"""Assert that the database itself refuses a row, and which constraint refused it."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction


@contextmanager
def rejected_by(constraint: str) -> Iterator[None]:
    """Expect the statements inside to fail with an IntegrityError raised by `constraint`.

    PostgreSQL names the violated constraint in every message. SQLite names check constraints
    (and for a PositiveIntegerField's check, the column), but for a unique one it lists the
    columns instead, so there only the kind of failure can be checked. The savepoint keeps the
    test's transaction usable afterwards.
    """
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    if connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed"):
        return
    assert constraint in message, f"expected {constraint!r} to refuse the row, got: {message}"


def check_deferred_constraints() -> None:
    """Run now the foreign-key checks the database would run at commit.

    Foreign keys are DEFERRABLE INITIALLY DEFERRED, and a test never commits. On PostgreSQL
    Django's `check_constraints()` sets every constraint IMMEDIATE (which checks what is
    pending) and back to DEFERRED; on SQLite it runs `PRAGMA foreign_key_check`.
    """
    connection.check_constraints()
