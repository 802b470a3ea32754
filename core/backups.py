"""What the backup and restore commands share: how to reach PostgreSQL from its tools."""

from __future__ import annotations

import os
from typing import Any


def pg_environment(settings: dict[str, Any]) -> dict[str, str]:
    """The environment that points pg_dump and pg_restore at Django's database (libpq's
    variables, so the password never appears in a process listing)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env
