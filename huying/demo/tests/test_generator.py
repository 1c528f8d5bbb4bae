"""The demo generator on the real Yuexiu deployment: every state, histories
that replay to the cases' state, nothing in the future, the same cases for
the same seed."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import Max
from django.test import TestCase
from django.utils import timezone

from huying.cases.models import Case, Event, Notification, Status
from huying.cases.replay import replay, snapshot
from huying.demo import generator, users
from huying.org import deployment
from huying.test import at


class Rollback(Exception):
    pass


class GeneratorTestCase(TestCase):
    # Tuesday 3 March 2026, 10:00: the demo's "now", fixed so runs agree.
    now = at(2026, 3, 3, 10, 0)

    @classmethod
    def setUpTestData(cls):
        deployment.load("yuexiu")
        users.make_grids()
        cls.summary = generator.generate(150, seed=7, now=cls.now)

    def test_every_status_appears(self):
        statuses = Counter(Case.objects.values_list("status", flat=True))
        self.assertEqual(set(statuses), set(Status.values), statuses)
        self.assertEqual(sum(statuses.values()), 150)
        self.assertEqual(self.summary.statuses, statuses)

    def test_the_special_paths_appear(self):
        cases = Case.objects.all()
        self.assertTrue(cases.exclude(extension_days=None).filter(status=Status.ACCEPTED).exists(), "pending extension")
        self.assertTrue(cases.filter(urge_count__gt=0).exists(), "urged")
        self.assertTrue(cases.filter(supervised=True).exists(), "supervised")
        self.assertTrue(cases.filter(reopen_count__gt=0).exists(), "reopened")
        self.assertTrue(cases.filter(confidential=True).exists(), "confidential report")
        self.assertFalse(cases.filter(confidential=True).exclude(kind="report").exists())
        actions = set(Event.objects.values_list("action", flat=True))
        for action in ("dispatch_down", "return", "approve_return", "request_extension", "merge", "review", "urge", "supervise"):
            self.assertIn(action, actions)

    def test_state_is_the_replay_of_events(self):
        for case in Case.objects.prefetch_related("co_units", "events"):
            with self.subTest(case=case.number):
                self.assertEqual(replay(case.events.all()), snapshot(case))

    def test_nothing_is_dated_in_the_future(self):
        self.assertFalse(Case.objects.filter(created_at__gt=self.now).exists())
        self.assertFalse(Event.objects.filter(at__gt=self.now).exists())
        self.assertFalse(Notification.objects.filter(created_at__gt=self.now).exists())
        oldest = Case.objects.order_by("created_at").first().created_at
        self.assertGreater(oldest, self.now - dt.timedelta(days=366))

    def test_each_history_runs_forward_from_the_intake(self):
        for case in Case.objects.prefetch_related("events"):
            moments = [event.at for event in case.events.all()]
            with self.subTest(case=case.number):
                self.assertEqual(moments, sorted(moments))
                self.assertEqual(moments[0], case.created_at)
                self.assertEqual(case.number[2:10], f"{timezone.localtime(case.created_at):%Y%m%d}")

    def test_the_lead_unit_is_the_routing_answer(self):
        from huying.routing.responsibility import responsible

        for case in Case.objects.filter(status=Status.CLOSED, dispatched_by__kind="centre").select_related("category", "street"):
            with self.subTest(case=case.number):
                self.assertEqual(case.lead_unit, responsible(case.category, case.street).unit)

    def test_the_same_seed_gives_the_same_cases(self):
        first, again, other = self.fingerprint(11), self.fingerprint(11), self.fingerprint(12)
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)

    def fingerprint(self, seed):
        """What a run adds, without keeping it (row ids left out: sequences move on)."""
        try:
            with transaction.atomic():
                last = Case.objects.aggregate(last=Max("pk"))["last"]
                generator.generate(30, seed=seed, now=self.now)
                added = Case.objects.filter(pk__gt=last).order_by("number").prefetch_related("events")
                result = [
                    (c.number, c.status, c.title, c.text, c.citizen_phone, c.lead_unit_id,
                     [(e.action, e.at, e.actor_label) for e in c.events.all()])
                    for c in added
                ]
                raise Rollback
        except Rollback:
            return result
