"""Backups: `manage.py backup` and `manage.py restore` into a new database give back the same
figures and the same audit trail."""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from incidents.choices import SourceType, VerificationStatus
from incidents.services import incident_create
from indicators.rollups.calendar import calendar_ensure
from missions.models import Mission
from tests.factories.missions import LocalityFactory
from threats.choices import PerpetratorCategory, ViolenceType

MARCH_10 = datetime.date(2026, 3, 10)
# the figures and the trail, in a stable order, as text: what a restore must give back
FIGURES = (
    "SELECT mission_id, indicator_id, area_key, period, period_start, disaggregation, breakdown,"
    " value::text, official_count FROM indicators_rollup ORDER BY 1, 2, 3, 4, 5, 6, 7"
)
TRAIL = (
    "SELECT id, request_id::text, actor_name, action, content_type_id, object_id, mission_id,"
    " changes::text, at FROM audit_auditentry ORDER BY id"
)


def _manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
    )


def _read(dsn: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    with psycopg2.connect(**dsn) as db, db.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def fresh_database() -> Iterator[dict[str, str]]:
    """A new, empty PostgreSQL database beside the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore are PostgreSQL's")
    db = connection.settings_dict
    dsn = {"host": db["HOST"], "port": str(db["PORT"] or 5432), "user": db["USER"]}
    if db["PASSWORD"]:
        dsn["password"] = db["PASSWORD"]
    name = f"{db['NAME']}_restored"
    admin = psycopg2.connect(dbname="postgres", **dsn)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**dsn, "dbname": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_postgresql_backup_restores_the_same_figures_and_trail(
    fresh_database: dict[str, str], joc_officer: User, mission_a: Mission, tmp_path: Path
) -> None:
    # given committed incidents, their figures and their audit entries
    calendar_ensure(start=MARCH_10, end=MARCH_10 + datetime.timedelta(days=40))
    locality = LocalityFactory(mission=mission_a)
    for killed in (1, 2, 5):
        incident_create(
            by=joc_officer,
            mission=mission_a,
            area=locality,
            occurred_on=MARCH_10,
            incident_type=ViolenceType.KILLING_MAIMING,
            perpetrator_category=PerpetratorCategory.NON_STATE_ARMED_GROUP,
            source_type=SourceType.UN_PATROL,
            verification_status=VerificationStatus.VERIFIED,
            killed_women=killed,
        )
    source = {**fresh_database, "dbname": connection.settings_dict["NAME"]}
    figures, trail = _read(source, FIGURES), _read(source, TRAIL)
    assert figures and len(trail) >= 3

    # when it is backed up, and restored into a new database
    backup = tmp_path / "poc.dump"
    call_command("backup", str(backup))
    password = f":{fresh_database['password']}" if "password" in fresh_database else ""
    url = (
        f"postgres://{fresh_database['user']}{password}@{fresh_database['host']}:"
        f"{fresh_database['port']}/{fresh_database['dbname']}"
    )
    restored = _manage("restore", str(backup), database_url=url)
    assert restored.returncode == 0, restored.stderr

    # then the new database holds the same figures and the same trail
    assert _read(fresh_database, FIGURES) == figures
    assert _read(fresh_database, TRAIL) == trail
    # and a second restore over it is refused rather than mixing two histories
    again = _manage("restore", str(backup), database_url=url)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_an_sqlite_backup_restores_the_same_rows(tmp_path: Path) -> None:
    live, backup, restored = (tmp_path / name for name in ("db", "backup", "restored"))
    with sqlite3.connect(live) as db:
        db.execute("CREATE TABLE figures (id INTEGER PRIMARY KEY, value TEXT)")
        db.executemany("INSERT INTO figures (value) VALUES (?)", [("12",), ("7",)])

    made = _manage("backup", str(backup), database_url=f"sqlite:///{live}")
    assert made.returncode == 0, made.stderr
    put_back = _manage("restore", str(backup), database_url=f"sqlite:///{restored}")
    assert put_back.returncode == 0, put_back.stderr

    with sqlite3.connect(restored) as db:
        assert db.execute("SELECT id, value FROM figures ORDER BY id").fetchall() == [
            (1, "12"),
            (2, "7"),
        ]
