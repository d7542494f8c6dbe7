"""Trigram indexes behind the inbox's search, on PostgreSQL only.

The inbox searches reference, name, e-mail and organisation for a piece of text
anywhere in them (``icontains``), which PostgreSQL runs as
``UPPER(column::text) LIKE UPPER('%text%')``. A B-tree cannot help with a leading
wildcard; a pg_trgm GIN index on that very expression can, for any search of
three characters or more. SQLite (development, tests) has no such index and
searches by scanning, which at its sizes is fast enough: there this migration
does nothing. pg_trgm is a trusted extension (PostgreSQL 13+), so the database's
owner may create it without being a superuser.
"""

from django.db import migrations

TABLES = ("forms_interestsubmission", "forms_contactsubmission")
COLUMNS = ("reference", "name", "email", "organisation")


def index_names():
    return [
        (table, column, f"{table}_{column}_trgm")
        for table in TABLES
        for column in COLUMNS
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in index_names():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in index_names():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("forms", "0007_inbox_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
