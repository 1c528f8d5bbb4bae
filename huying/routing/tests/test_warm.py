"""The active model is loaded when a process starts, not on its first case."""

from unittest import mock

from django.db import DatabaseError

from huying.routing import store
from huying.routing.tests.test_auto_dispatch import train_made_up
from huying.test import BaseTestCase


class WarmTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        store.forget()
        self.addCleanup(store.forget)

    def test_no_model_yet(self):
        self.assertIsNone(store.warm())

    def test_the_active_model_is_loaded_and_used_once(self):
        result = train_made_up()
        store.forget()
        with mock.patch.object(store, "loads", wraps=store.loads) as loads:
            self.assertEqual(store.warm(), result.version)
            self.assertEqual(store.active()[0], result.version)  # the first case: already loaded
        self.assertEqual(loads.call_count, 1)

    def test_a_database_not_ready_is_logged_not_raised(self):
        with mock.patch.object(store, "active", side_effect=DatabaseError("no such table: routing_model")):
            with self.assertLogs("huying.routing.store", "WARNING") as logged:
                self.assertIsNone(store.warm())
        self.assertIn("no such table", logged.output[0])

    def test_the_web_app_warms_at_import(self):
        import importlib

        import huying.wsgi

        with mock.patch.object(store, "warm") as warm:
            importlib.reload(huying.wsgi)
        warm.assert_called_once_with()
