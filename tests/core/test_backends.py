"""The SQLite backend keeps the same-mission triggers through Django's table rebuilds."""

import pytest
from django.db import connection, models

from incidents.models import Incident
from missions.models import Area
from threats.models import Threat


def _triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("model", [Threat, Area, Incident], ids=lambda model: model.__name__)
def test_sqlite_table_rebuild_keeps_the_triggers(model: type[models.Model]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place")
    # given the migrated triggers, and a change SQLite can only make by rebuilding the table
    before = _triggers()
    constraint = models.CheckConstraint(condition=models.Q(pk__gte=0), name="test_rebuild")
    try:
        # when a parent table (threats, areas) or a child table (incidents) is rebuilt
        with connection.schema_editor() as editor:
            editor.add_constraint(model, constraint)

        # then every trigger is still there
        assert _triggers() == before
    finally:
        with connection.schema_editor() as editor:
            editor.remove_constraint(model, constraint)
    assert _triggers() == before
