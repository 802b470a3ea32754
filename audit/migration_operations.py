"""A migration operation that makes a table append-only in the database itself.

The model and its queryset refuse changes in Python; the triggers refuse them to raw SQL, a
shell, or any code that goes around the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from core.migration_operations import DatabaseOnlyOperation

Quote = Callable[[str], str]
Build = Callable[[str, Quote], list[str]]


class AppendOnlyTriggers(DatabaseOnlyOperation):
    """Add triggers that refuse any UPDATE (and, on PostgreSQL, DELETE) of a model's rows.

    PostgreSQL refuses both. SQLite refuses UPDATE only: Django's test flush on SQLite empties
    tables with `DELETE FROM`, which a DELETE trigger would stop, whereas PostgreSQL flushes
    with TRUNCATE, which row triggers do not see. On SQLite, deletion is refused by the model
    and its queryset alone.

    SQLite drops a table's triggers when Django rebuilds the table to alter it; the project's
    SQLite backend (`core/backends/sqlite3/schema.py`) puts them back, and the raw-SQL tests
    in tests/audit/test_models.py fail if the trigger is lost all the same.
    """

    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [], {"model_name": self.model_name})

    def describe(self) -> str:
        return f"Refuse updates and deletions of {self.model_name} rows in the database"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_append_only"

    def forwards_sql(self, schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
        return self._sql(schema_editor)[0](table, schema_editor.quote_name)

    def backwards_sql(self, schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
        return self._sql(schema_editor)[1](table, schema_editor.quote_name)

    def _sql(self, schema_editor: BaseDatabaseSchemaEditor) -> tuple[Build, Build]:
        vendor = schema_editor.connection.vendor
        if vendor not in _SQL:
            raise NotSupportedError(f"append-only triggers are not written for {vendor}")
        return _SQL[vendor]


def _names(table: str) -> tuple[str, str]:
    return f"{table}_append_only", f"{table}_refuse_change"


def _postgresql(table: str, quote: Quote) -> list[str]:
    trigger, function = _names(table)
    # restrict_violation is an integrity error: drivers and Django report it as IntegrityError
    return [
        f"""CREATE FUNCTION {quote(function)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % refused: audit entries are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$""",
        f"CREATE TRIGGER {quote(trigger)} BEFORE UPDATE OR DELETE ON {quote(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {quote(function)}()",
    ]


def _sqlite(table: str, quote: Quote) -> list[str]:
    trigger, _function = _names(table)
    # No DELETE trigger: Django's test flush on SQLite runs DELETE FROM (see the class docstring).
    return [
        f"CREATE TRIGGER {quote(trigger)} BEFORE UPDATE ON {quote(table)} BEGIN "
        f"SELECT RAISE(ABORT, 'UPDATE of {table} refused: audit entries are append-only'); END",
    ]


def _drop_postgresql(table: str, quote: Quote) -> list[str]:
    trigger, function = _names(table)
    return [
        f"DROP TRIGGER IF EXISTS {quote(trigger)} ON {quote(table)}",
        f"DROP FUNCTION IF EXISTS {quote(function)}()",
    ]


def _drop_sqlite(table: str, quote: Quote) -> list[str]:
    trigger, _function = _names(table)
    return [f"DROP TRIGGER IF EXISTS {quote(trigger)}"]


# vendor → (statements that add the triggers, statements that drop them)
_SQL: dict[str, tuple[Build, Build]] = {
    "postgresql": (_postgresql, _drop_postgresql),
    "sqlite": (_sqlite, _drop_sqlite),
}
