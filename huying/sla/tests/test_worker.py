"""The worker: urges the day after a missed deadline, supervises what stays
overdue, raises due follow-ups; two workers never do one step twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django.test import TransactionTestCase
from django.utils import translation

from huying.cases import steps
from huying.cases.models import Case, Event, Notification
from huying.sla import worker
from huying.test import BaseTestCase, RaceTestCase, at, at_once


class WorkerJobsTestCase(BaseTestCase):
    def test_missed_accept_deadline_is_urged_the_next_working_day(self):
        case = self.dispatched_case()  # Tue 3 Mar 10:00; accept by Wed 4 Mar 10:00
        self.assertEqual(case.urge_at, at(2026, 3, 5, 10, 0))
        self.assertEqual(worker.tick(at(2026, 3, 5, 9, 59))["urge_due"], 0)
        with translation.override("en"):
            self.assertEqual(worker.tick(at(2026, 3, 5, 10, 0))["urge_due"], 1)
        case = self.fresh(case)
        self.assertEqual((case.urge_count, case.urge_at), (1, None))
        self.assertEqual(case.supervise_at, at(2026, 3, 6, 10, 0))
        event = case.events.last()
        self.assertEqual((event.action, event.actor_id), ("urge", None))
        self.assertIn("accept", event.reason.lower())
        self.assertEqual(Notification.objects.filter(unit=self.street).count(), 1)

    def test_still_overdue_after_the_urge_is_supervised(self):
        case = self.dispatched_case()
        worker.tick(at(2026, 3, 5, 10, 0))
        worker.tick(at(2026, 3, 6, 10, 0))
        case = self.fresh(case)
        self.assertTrue(case.supervised)
        self.assertEqual(case.supervise_due, at(2026, 3, 10, 10, 0))
        self.assertEqual(list(case.events.values_list("action", flat=True))[-2:], ["urge", "supervise"])

    def test_caught_up_before_supervision_is_not_supervised(self):
        case = self.dispatched_case()
        worker.tick(at(2026, 3, 5, 10, 0))
        steps.accept(self.fresh(case), self.street_handler, now=at(2026, 3, 5, 11, 0))
        worker.tick(at(2026, 3, 6, 10, 0))
        case = self.fresh(case)
        self.assertFalse(case.supervised)
        self.assertIsNone(case.supervise_at)

    def test_reply_in_time_is_never_urged(self):
        case = self.replied_case()
        counts = worker.tick(at(2026, 6, 1, 10, 0))
        self.assertEqual((counts["urge_due"], counts["supervise_due"]), (0, 0))
        self.assertEqual(self.fresh(case).urge_count, 0)

    def test_due_follow_up_is_raised_once(self):
        case = self.replied_case()  # replied Tue 3 Mar 10:00: follow up by Wed
        self.assertEqual(worker.tick(at(2026, 3, 4, 10, 0))["followups_due"], 1)
        self.assertEqual(worker.tick(at(2026, 3, 5, 10, 0))["followups_due"], 0)
        case = self.fresh(case)
        self.assertTrue(case.followup_alerted)
        self.assertEqual(Notification.objects.filter(unit=self.centre, case=case).count(), 1)


class TwoWorkersTestCase(RaceTestCase):
    def test_two_workers_at_once_urge_each_case_once(self):
        cases = [self.dispatched_case() for _ in range(30)]
        later = at(2026, 3, 5, 10, 0)
        counts = at_once(lambda: worker.tick(later)["urge_due"])
        self.assertEqual(sum(counts), 30, counts)
        self.assertEqual(Event.objects.filter(action="urge").count(), 30)
        for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
            self.assertEqual(case.urge_count, 1)


def database_url():
    """The test database, for a child process to use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcessTestCase(TransactionTestCase):
    """A real `huying worker` process on the test database (no open
    transaction here, so the child can write)."""

    def test_stops_cleanly_on_sigterm(self):
        root = Path(__file__).resolve().parents[3]
        env = os.environ | {"DATABASE_URL": database_url(), "WORKER_INTERVAL": "1", "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "huying.cli", "worker"], env=env, cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Signal only once the handlers are installed, however slow the start.
        first = proc.stdout.readline()
        self.assertIn("worker started", first, proc.stderr.read() if not first else "")
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("worker stopped", out)
