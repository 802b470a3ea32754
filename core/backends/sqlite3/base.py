"""Django's SQLite backend, with a schema editor that keeps triggers through table rebuilds."""

from django.db.backends.sqlite3 import base

from .schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
