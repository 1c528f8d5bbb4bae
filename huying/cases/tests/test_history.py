"""Events are append-only: not through the model, not through SQL."""

from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from huying.cases.models import Event
from huying.test import BaseTestCase


class AppendOnlyTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.case = self.accepted_case()
        self.event = self.case.events.first()

    def test_model_refuses_to_save_an_existing_event(self):
        self.event.reason = "rewritten"
        with self.assertRaises(PermissionError):
            self.event.save()

    def test_model_refuses_to_delete(self):
        with self.assertRaises(PermissionError):
            self.event.delete()

    def test_case_with_history_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError):
            self.case.delete()

    def test_database_refuses_update(self):
        with self.assertRaises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE cases_event SET reason = 'x' WHERE id = %s", [self.event.pk])
        self.assertEqual(Event.objects.get(pk=self.event.pk).reason, self.event.reason)

    def test_queryset_update_is_refused_by_the_database(self):
        with self.assertRaises(DatabaseError), transaction.atomic():
            Event.objects.filter(pk=self.event.pk).update(action="forged")

    def test_postgresql_refuses_delete(self):
        if connection.vendor != "postgresql":
            self.skipTest("the DELETE trigger is PostgreSQL's (see migration 0002)")
        with self.assertRaises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM cases_event WHERE id = %s", [self.event.pk])

    def test_every_event_names_actor_time_action(self):
        for event in self.case.events.all():
            self.assertTrue(event.actor_label)
            self.assertIsNotNone(event.at)
            self.assertTrue(event.action)
        self.assertEqual(list(self.case.events.values_list("seq", flat=True)), [1, 2, 3])
