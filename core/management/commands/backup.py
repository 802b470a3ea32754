"""`manage.py backup FILE`: a consistent copy of the whole database, while the app runs.

PostgreSQL: `pg_dump --format=custom`, one snapshot of every table (restore it with
`manage.py restore`, or `pg_restore` itself). SQLite, the embedded default: SQLite's online
backup, a copy of the file taken between writes.
"""

from __future__ import annotations

import sqlite3
import subprocess  # nosec B404 - runs pg_dump with arguments built here, never through a shell
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from core.backups import pg_environment


class Command(BaseCommand):
    help = "Copy the whole database into FILE (pg_dump's custom format, or an SQLite file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            command = ["pg_dump", "--format=custom", "--no-owner", f"--file={file}"]
            done = subprocess.run(  # nosec B603 - a fixed program and arguments, no shell
                [*command, settings["NAME"]],
                env=pg_environment(settings),
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
        elif connection.vendor == "sqlite":
            source = sqlite3.connect(settings["NAME"])
            try:
                with sqlite3.connect(file) as target:
                    source.backup(target)
            finally:
                source.close()
        else:
            raise CommandError(f"No backup for {connection.vendor} databases.")
        self.stdout.write(f"Backed up the database into {file} ({file.stat().st_size:,} bytes).")
