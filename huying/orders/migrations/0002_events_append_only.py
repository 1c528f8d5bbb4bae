"""Refuse UPDATE (and, on PostgreSQL, DELETE) of order events in the database
itself, as for case events (cases/migrations/0002): no code path, admin
action or stray SQL can rewrite an order's history.

SQLite gets no DELETE trigger: Django's test flush empties tables with
DELETE there, and PROTECT foreign keys already stop deletes through the ORM.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION huying_order_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'order events are append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER orders_orderevent_no_update BEFORE UPDATE OR DELETE ON orders_orderevent
                FOR EACH ROW EXECUTE FUNCTION huying_order_events_append_only();
            """
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            """
            CREATE TRIGGER orders_orderevent_no_update BEFORE UPDATE ON orders_orderevent
            BEGIN SELECT RAISE(ABORT, 'order events are append-only'); END;
            """
        )


def backwards(apps, schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS orders_orderevent_no_update" + (
        " ON orders_orderevent" if schema_editor.connection.vendor == "postgresql" else ""))


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
