"""Migration operations Django has no built-in for, and the integrity rules they install."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import IntegrityError, NotSupportedError
from django.db.migrations.operations.base import Operation

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import ProjectState


class SameMissionRule(NamedTuple):
    """A child row's pair of columns that must name a parent row of the same mission."""

    name: str
    table: str
    columns: tuple[str, str]
    referenced_table: str
    referenced_columns: tuple[str, str]


_PARENTS: dict[str, tuple[str, tuple[str, str]]] = {
    "threat": ("threats_threat", ("id", "mission_id")),
    "area": ("missions_area", ("id", "mission_id")),
}


def _rule(table: str, reference: str) -> SameMissionRule:
    parent, parent_columns = _PARENTS[reference]
    return SameMissionRule(
        name=f"{table}_{reference}_same_mission",
        table=table,
        columns=(f"{reference}_id", "mission_id"),
        referenced_table=parent,
        referenced_columns=parent_columns,
    )


# Every rule the migrations install, so a test can check that each one is in the database
# (tests/core/test_migration_operations.py): a later migration that rebuilds a table on
# SQLite drops its triggers, and nothing else would notice.
SAME_MISSION_RULES: tuple[SameMissionRule, ...] = (
    _rule("incidents_incident", "threat"),
    _rule("incidents_incident", "area"),
    _rule("alerts_alert", "threat"),
    _rule("alerts_alert", "area"),
    _rule("activities_protectionactivity", "threat"),
    _rule("activities_protectionactivity", "area"),
    _rule("indicators_observation", "area"),
    _rule("threats_communityatrisk", "threat"),
    _rule("threats_communityatrisk", "area"),
    _rule("threats_threatassessment", "threat"),
)


def sqlite_trigger_names(name: str) -> tuple[str, str, str]:
    """Name the three SQLite triggers that stand for the composite foreign key `name`."""
    return f"{name}_insert", f"{name}_update", f"{name}_parent_update"


class DatabaseOnlyOperation(Operation):
    """An operation on one model's table that Django's model state knows nothing of.

    Subclasses give the statements to run each way (`forwards_sql`, `backwards_sql`) for the
    connection's vendor; this class finds the table, honours the router and runs them as
    written (no parameters, so `%` in plpgsql bodies stays as it is).
    """

    reversible = True
    model_name: str

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass  # database-only: the models do not change

    def forwards_sql(self, schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
        raise NotImplementedError

    def backwards_sql(self, schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
        raise NotImplementedError

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(app_label, schema_editor, to_state, self.forwards_sql)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(app_label, schema_editor, from_state, self.backwards_sql)

    def _run(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        state: ProjectState,
        build: Callable[[BaseDatabaseSchemaEditor, str], list[str]],
    ) -> None:
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        for statement in build(schema_editor, model._meta.db_table):
            schema_editor.execute(statement, params=None)


class SameMissionForeignKey(DatabaseOnlyOperation):
    """Tie a child row's (reference, mission) pair to a parent row with that id and mission.

    A composite foreign key, `(threat_id, mission_id) → threats_threat (id, mission_id)`, so
    the database refuses an incident linked to another mission's threat whatever path wrote
    it. Like a plain foreign key it is MATCH SIMPLE: a row whose reference is NULL is not
    checked. The parent needs a unique constraint on the referenced columns first.

    PostgreSQL gets a real foreign key, DEFERRABLE INITIALLY DEFERRED like Django's own, so
    Django's delete collector can still clear `incident.threat` and delete the threat (or a
    whole mission) in whatever order it picks; a violation shows at commit or at
    `SET CONSTRAINTS ALL IMMEDIATE`.

    SQLite cannot add a foreign key to an existing table, so three triggers stand in for it,
    each failing with the rule's name as its message: before an insert into the child, before
    an update of the child's two columns, and before an update of the parent's id or mission
    while children still point at it with the old mission (what NO ACTION does on
    PostgreSQL). They check at once, not at commit, so a child inserted before its parent in
    one transaction (a fixture with explicit ids) is refused on SQLite alone. Django's SQLite
    backend rebuilds a table for many later schema changes (AlterField, AddConstraint of a
    check constraint, ...); the rebuild drops the table's triggers, and a trigger on another
    table that names it makes the rebuild fail. The project's backend
    (`core/backends/sqlite3/schema.py`) recreates them after each rebuild, and
    `SAME_MISSION_RULES` lists every rule so that a test can catch one gone missing all the
    same.

    The operation changes no model state: Django does not know composite foreign keys.
    """

    def __init__(
        self,
        *,
        model_name: str,
        columns: tuple[str, str],
        references: tuple[str, tuple[str, str]],
        name: str,
    ) -> None:
        self.model_name = model_name
        # pairs, whether the migration wrote them as tuples or lists
        column, mission_column = columns
        self.columns = (column, mission_column)
        self.referenced_table, (key, mission_key) = references
        self.referenced_columns = (key, mission_key)
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__name__,
            [],
            {
                "model_name": self.model_name,
                "columns": self.columns,
                "references": (self.referenced_table, self.referenced_columns),
                "name": self.name,
            },
        )

    def rule(self, table: str) -> SameMissionRule:
        """Describe this operation as a rule on the child `table`."""
        return SameMissionRule(
            self.name, table, self.columns, self.referenced_table, self.referenced_columns
        )

    def forwards_sql(self, schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
        rule = self.rule(table)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return _postgresql_create(schema_editor, rule)
        if vendor == "sqlite":
            if not schema_editor.collect_sql:
                _sqlite_refuse_existing_violations(schema_editor, rule)
            return _sqlite_create(schema_editor, rule)
        raise NotSupportedError(f"{self.name}: no composite foreign key for {vendor}")

    def backwards_sql(self, schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
        quote = schema_editor.quote_name
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return [f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(self.name)}"]
        if vendor == "sqlite":
            return [
                f"DROP TRIGGER IF EXISTS {quote(trigger)}"
                for trigger in sqlite_trigger_names(self.name)
            ]
        raise NotSupportedError(f"{self.name}: no composite foreign key for {vendor}")

    def describe(self) -> str:
        return (
            f"Tie {self.model_name} ({', '.join(self.columns)}) to {self.referenced_table} "
            f"({', '.join(self.referenced_columns)}) as {self.name}"
        )

    @property
    def migration_name_fragment(self) -> str:
        return self.name


def _postgresql_create(schema_editor: BaseDatabaseSchemaEditor, rule: SameMissionRule) -> list[str]:
    quote = schema_editor.quote_name
    columns = ", ".join(quote(column) for column in rule.columns)
    referenced = ", ".join(quote(column) for column in rule.referenced_columns)
    return [
        f"ALTER TABLE {quote(rule.table)} ADD CONSTRAINT {quote(rule.name)} "
        f"FOREIGN KEY ({columns}) REFERENCES {quote(rule.referenced_table)} ({referenced}) "
        "DEFERRABLE INITIALLY DEFERRED"
    ]


def _sqlite_missing_parent(quote: Any, rule: SameMissionRule, row: str) -> str:
    # MATCH SIMPLE: a pair with a NULL in it refers to nothing and is not checked.
    (ref, mission), (parent_id, parent_mission) = rule.columns, rule.referenced_columns
    return (
        f"{row}.{quote(ref)} IS NOT NULL AND {row}.{quote(mission)} IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {quote(rule.referenced_table)} AS parent "
        f"WHERE parent.{quote(parent_id)} = {row}.{quote(ref)} "
        f"AND parent.{quote(parent_mission)} = {row}.{quote(mission)})"
    )


def _sqlite_create(schema_editor: BaseDatabaseSchemaEditor, rule: SameMissionRule) -> list[str]:
    quote = schema_editor.quote_name
    insert, update, parent_update = (quote(name) for name in sqlite_trigger_names(rule.name))
    (ref, mission), (parent_id, parent_mission) = rule.columns, rule.referenced_columns
    table, parent = quote(rule.table), quote(rule.referenced_table)
    # the rule's name is a Python identifier, so it needs no escaping inside the SQL string
    fail = f"BEGIN SELECT RAISE(ABORT, '{rule.name}'); END"
    # Like PostgreSQL's checks, an update that leaves the pair as it was is not re-checked.
    child_changed = (
        f"(NEW.{quote(ref)} IS NOT OLD.{quote(ref)} "
        f"OR NEW.{quote(mission)} IS NOT OLD.{quote(mission)})"
    )
    parent_changed = (
        f"(NEW.{quote(parent_id)} IS NOT OLD.{quote(parent_id)} "
        f"OR NEW.{quote(parent_mission)} IS NOT OLD.{quote(parent_mission)})"
    )
    children_left = (
        f"EXISTS (SELECT 1 FROM {table} AS child "
        f"WHERE child.{quote(ref)} = OLD.{quote(parent_id)} "
        f"AND child.{quote(mission)} = OLD.{quote(parent_mission)})"
    )
    return [
        f"CREATE TRIGGER {insert} BEFORE INSERT ON {table} FOR EACH ROW "
        f"WHEN {_sqlite_missing_parent(quote, rule, 'NEW')} {fail}",
        f"CREATE TRIGGER {update} BEFORE UPDATE OF {quote(ref)}, {quote(mission)} ON {table} "
        f"FOR EACH ROW WHEN {child_changed} AND {_sqlite_missing_parent(quote, rule, 'NEW')} "
        f"{fail}",
        f"CREATE TRIGGER {parent_update} BEFORE UPDATE OF {quote(parent_id)}, "
        f"{quote(parent_mission)} ON {parent} FOR EACH ROW "
        f"WHEN {parent_changed} AND {children_left} {fail}",
    ]


def _sqlite_refuse_existing_violations(
    schema_editor: BaseDatabaseSchemaEditor, rule: SameMissionRule
) -> None:
    # PostgreSQL checks the rows already there when it adds a foreign key; triggers do not,
    # so check them here rather than install a rule the data already breaks.
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(rule.table)} AS child "
            f"WHERE {_sqlite_missing_parent(quote, rule, 'child')}"
        )
        (count,) = cursor.fetchone()
    if count:
        raise IntegrityError(
            f"{rule.name}: {count} row(s) of {rule.table} refer to a row of "
            f"{rule.referenced_table} in another mission; correct them before migrating"
        )
