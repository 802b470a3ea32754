"""`manage.py restore FILE`: put a backup made by `manage.py backup` into the database.

The database must be empty (a new one, as after a loss): restoring over live data would mix
two histories. PostgreSQL: `pg_restore` in one transaction, so it is all or nothing. SQLite:
the backup file is copied into the database file with SQLite's backup, which replaces it.
"""

from __future__ import annotations

import sqlite3
import subprocess  # nosec B404 - runs pg_restore with arguments built here, never through a shell
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from core.backups import pg_environment


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No backup at {file}.")
        if connection.introspection.table_names():
            raise CommandError(
                "The database is not empty: restore into a new database (then point "
                "DATABASE_URL at it)."
            )
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            command = ["pg_restore", "--single-transaction", "--no-owner", "--exit-on-error"]
            done = subprocess.run(  # nosec B603 - a fixed program and arguments, no shell
                [*command, f"--dbname={settings['NAME']}", str(file)],
                env=pg_environment(settings),
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise CommandError(f"pg_restore failed: {done.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.close()
            with sqlite3.connect(file) as source, sqlite3.connect(settings["NAME"]) as target:
                source.backup(target)
        else:
            raise CommandError(f"No restore for {connection.vendor} databases.")
        self.stdout.write(f"Restored {file} into the database.")
