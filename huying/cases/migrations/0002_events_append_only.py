"""Refuse UPDATE (and, on PostgreSQL, DELETE) of case events in the database
itself, so no code path, admin action or stray SQL can rewrite history.

SQLite gets no DELETE trigger: Django's test flush empties tables with
DELETE there, and PROTECT foreign keys already stop deletes through the ORM.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION huying_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'case events are append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER cases_event_no_update BEFORE UPDATE OR DELETE ON cases_event
                FOR EACH ROW EXECUTE FUNCTION huying_events_append_only();
            """
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            """
            CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_event
            BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
            """
        )


def backwards(apps, schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS cases_event_no_update" + (
        " ON cases_event" if schema_editor.connection.vendor == "postgresql" else ""))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
