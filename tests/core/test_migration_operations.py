"""The same-mission composite foreign keys: all in the database, listed, and reversible."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from core.migration_operations import (
    SAME_MISSION_RULES,
    SameMissionForeignKey,
    SameMissionRule,
    sqlite_trigger_names,
)
from incidents.models import Incident
from tests.factories.incidents import IncidentFactory
from tests.factories.missions import MissionFactory
from tests.factories.threats import ThreatFactory

INCIDENT_RULES = ("incidents", "0006_same_mission")
BEFORE_INCIDENT_RULES = ("incidents", "0005_drop_redundant_fk_indexes")


def _installed(rule: SameMissionRule) -> bool:
    """Tell whether the database holds `rule` in full, as the operation installs it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conname = %s AND c.contype = 'f' AND c.conrelid = %s::regclass
                """,
                [rule.name, rule.table],
            )
            row = cursor.fetchone()
            expected = (
                f"FOREIGN KEY ({', '.join(rule.columns)}) REFERENCES "
                f"{rule.referenced_table}({', '.join(rule.referenced_columns)}) "
                "DEFERRABLE INITIALLY DEFERRED"
            )
            return row is not None and row[0] == expected
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        triggers = set(cursor.fetchall())
    insert, update, parent_update = sqlite_trigger_names(rule.name)
    return {
        (insert, rule.table),
        (update, rule.table),
        (parent_update, rule.referenced_table),
    } <= triggers


@pytest.mark.django_db
@pytest.mark.parametrize("rule", SAME_MISSION_RULES, ids=lambda rule: rule.name)
def test_same_mission_rule_is_in_the_migrated_database(rule: SameMissionRule) -> None:
    # A later migration that rebuilds the table on SQLite (or drops the constraint) fails here.
    assert _installed(rule), f"{rule.name} is missing from the database after migrate"


def test_same_mission_rules_list_every_operation_of_the_migrations() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    declared = {
        operation.rule(apps.get_model(app_label, operation.model_name)._meta.db_table)
        for (app_label, _), migration in loader.disk_migrations.items()
        for operation in migration.operations
        if isinstance(operation, SameMissionForeignKey)
    }

    assert declared == set(SAME_MISSION_RULES)


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_mission_foreign_key_reverses_and_refuses_rows_that_break_it() -> None:
    rule = next(rule for rule in SAME_MISSION_RULES if rule.name.startswith("incidents_incident_t"))
    try:
        # given the incident rules reversed, and an incident linked to another mission's threat
        # (both made first: the factories write today's columns)
        incident = IncidentFactory(mission=MissionFactory())
        threat = ThreatFactory(assessments=False)
        _migrate(BEFORE_INCIDENT_RULES)
        assert not _installed(rule)
        Incident.objects.filter(pk=incident.pk).update(threat=threat)

        # when the rules are installed again, then the row already there is refused
        with pytest.raises(IntegrityError, match=rule.name):
            _migrate(INCIDENT_RULES)
        assert not _installed(rule)

        # and once it is corrected, the rule goes in
        Incident.objects.filter(pk=incident.pk).update(threat=None)
        _migrate(INCIDENT_RULES)
        assert _installed(rule)
    finally:
        _migrate_to_latest()
