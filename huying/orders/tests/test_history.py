"""An order's history: one event per change, numbered without gaps, never
edited or deleted — refused by the model and by the database itself."""

from django.db import DatabaseError, connection, transaction

from huying.orders import steps
from huying.orders.models import OrderEvent
from huying.orders.tests.base import OrdersTestCase


class OrderHistoryTestCase(OrdersTestCase):
    def full_story(self):
        order = self.reported(quantity=20)
        steps.approve(self.progress, self.department_handler, now=self.now)
        steps.urge(self.fresh_order(order), self.supervisor, message="请加快", now=self.now)
        return self.fresh_order(order)

    def test_every_change_is_one_event_numbered_like_the_version(self):
        order = self.full_story()
        events = list(order.events.all())
        self.assertEqual([e.seq for e in events], list(range(1, order.version + 1)))
        self.assertEqual([e.action for e in events], ["give", "assign", "report_progress", "approve_progress", "urge"])
        self.assertEqual([e.actor_unit for e in events], [self.district, self.housing, self.street, self.housing, self.centre])
        self.assertEqual(events[2].changes, {"progress": self.progress.pk, "unit": self.street.pk, "quantity": "20", "photos": 0})
        self.assertEqual(events[4].reason, "请加快")

    def test_the_model_refuses_to_edit_or_delete_an_event(self):
        event = self.full_story().events.first()
        event.reason = "改写历史"
        with self.assertRaises(PermissionError):
            event.save()
        with self.assertRaises(PermissionError):
            event.delete()

    def test_the_database_refuses_to_edit_an_event(self):
        self.full_story()
        with self.assertRaises(DatabaseError), transaction.atomic():
            OrderEvent.objects.update(reason="改写历史")
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE orders_orderevent SET action = 'x'")
        self.assertFalse(OrderEvent.objects.filter(reason="改写历史").exists())

    def test_postgresql_refuses_to_delete_an_event(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite keeps deletes out through PROTECT foreign keys (see the migration)")
        self.full_story()
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM orders_orderevent")
        self.assertEqual(OrderEvent.objects.count(), 5)
