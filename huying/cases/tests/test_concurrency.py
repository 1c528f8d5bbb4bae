"""Two people acting on one case at the same moment: exactly one wins, the
other is told, and the loser leaves nothing behind."""

import threading

from django.db import connection

from huying import test
from huying.cases import steps
from huying.cases.errors import Conflict, Refused
from huying.cases.models import Case, Event, Status
from huying.test import BaseTestCase


class StaleCopyTestCase(BaseTestCase):
    def test_second_of_two_stale_copies_is_refused(self):
        case = self.dispatched_case()
        mine, theirs = self.fresh(case), self.fresh(case)
        steps.accept(mine, self.street_handler, now=self.now)
        events = Event.objects.count()
        with self.assertRaises(Conflict) as caught:
            steps.request_return(theirs, self.street_handler, reason="非本单位", now=self.now)
        self.assertIn(case.number, str(caught.exception))
        self.assertEqual(Event.objects.count(), events)
        self.assertEqual(self.fresh(case).status, Status.ACCEPTED)

    def test_dispatcher_and_operator_dispatch_at_once(self):
        case = self.new_case()
        first, second = self.fresh(case), self.fresh(case)
        steps.dispatch(first, self.dispatcher, lead=self.street, now=self.now)
        with self.assertRaises(Conflict):
            steps.dispatch(second, self.operator, lead=self.housing, now=self.now)
        self.assertEqual(self.fresh(case).lead_unit, self.street)


class RaceTestCase(test.RaceTestCase):
    """Real threads, each with its own database connection."""

    def race(self, *actions):
        barrier = threading.Barrier(len(actions))
        results = [None] * len(actions)

        def run(i, action):
            try:
                barrier.wait()
                action()
                results[i] = "ok"
            except Refused as error:
                results[i] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        return results

    def test_two_handlers_accept_and_return_at_once(self):
        case = self.dispatched_case()
        pk = case.pk
        # Both read the case before either writes: the moment of a real race.
        first, second = Case.objects.get(pk=pk), Case.objects.get(pk=pk)
        results = self.race(
            lambda: steps.accept(first, self.street_handler, now=self.now),
            lambda: steps.request_return(second, self.street_handler, reason="非本单位", now=self.now),
        )
        self.assertEqual(results.count("ok"), 1, results)
        loser = next(r for r in results if r != "ok")
        self.assertIsInstance(loser, Conflict)
        self.assertEqual(Event.objects.filter(case_id=pk).count(), 3)  # intake, dispatch, the winner

    def test_four_supervisors_urge_at_once_one_is_recorded(self):
        case = self.accepted_case()
        pk = case.pk
        copies = [Case.objects.get(pk=pk) for _ in range(4)]
        results = self.race(*[
            (lambda c=c: steps.urge(c, self.supervisor, message="请加快", now=self.now)) for c in copies
        ])
        self.assertEqual(results.count("ok"), 1, results)
        self.assertTrue(all(isinstance(r, Conflict) for r in results if r != "ok"))
        self.assertEqual(Case.objects.get(pk=pk).urge_count, 1)
        self.assertEqual(Event.objects.filter(case_id=pk, action="urge").count(), 1)
