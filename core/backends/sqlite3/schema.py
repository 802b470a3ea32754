"""Keep SQLite triggers alive when Django rebuilds a table."""

from __future__ import annotations

import re
from typing import Any

from django.db.backends.sqlite3 import schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    """Django's SQLite schema editor, carrying triggers across its table rebuilds.

    SQLite cannot alter most of a table in place, so Django rebuilds it: it creates
    `new__<table>`, copies the rows, drops the table and renames the copy. The drop takes the
    table's triggers with it, and with a trigger on another table that names this one the
    rename fails ("error in trigger ...: no such table"). SQLite's own procedure
    (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes") recreates
    the triggers afterwards; Django's does not. The triggers in question stand in for the
    composite foreign keys SQLite cannot add to an existing table
    (`core.migration_operations.SameMissionForeignKey`).
    """

    def _remake_table(self, model: Any, *args: Any, **kwargs: Any) -> None:
        triggers = self._triggers_naming(model._meta.db_table)
        for name, _sql in triggers:
            self.execute(f"DROP TRIGGER {self.quote_name(name)}", params=None)
        super()._remake_table(model, *args, **kwargs)  # type: ignore[misc]  # private, not in the stubs
        # A trigger that names a column the rebuild removed fails here, loudly: drop the rule
        # that needs the column before removing it.
        for _name, sql in triggers:
            self.execute(sql, params=None)

    def _triggers_naming(self, table: str) -> list[tuple[str, str]]:
        """List the triggers on `table` or naming it in their body, as (name, SQL)."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            rows = cursor.fetchall()
        # a whole word, so that threats_threat does not match threats_threat_areas
        names_table = re.compile(rf"\b{re.escape(table)}\b")
        return [(name, sql) for name, on, sql in rows if on == table or names_table.search(sql)]
