"""The worker job keeping the figures current: changes are taken in as cases
move, two workers at once count nothing twice, and any history of steps adds
up to what a rebuild from the events gives."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huying.analytics.models import CaseFact, DailyStat
from huying.analytics.refresh import rebuild, refresh_stats
from huying.cases import steps
from huying.cases.models import Case
from huying.cases.tests.test_replay import STEPS, HistoryTestCase
from huying.test import BaseTestCase, RaceTestCase, at, at_once


def summaries():
    columns = [f.attname for f in DailyStat._meta.concrete_fields if f.name != "id"]
    return sorted(DailyStat.objects.filter(received__gt=0).values_list(*columns))


def from_scratch():
    """The summaries a rebuild from the events gives, leaving the tables as they were."""
    incremental = summaries()
    rebuild()
    rebuilt = summaries()
    return incremental, rebuilt


class RefreshTestCase(BaseTestCase):
    def test_each_step_is_taken_in_once(self):
        case = self.dispatched_case()
        self.assertEqual(refresh_stats(), 1)
        self.assertEqual(refresh_stats(), 0)  # nothing changed since
        fact = CaseFact.objects.get(case=case)
        self.assertEqual((fact.dispatched, fact.accepted_on_time, fact.unit), (1, 0, self.street.pk))
        steps.accept(self.fresh(case), self.street_handler, now=self.now)
        self.assertTrue(Case.objects.get(pk=case.pk).stats_dirty)
        self.assertEqual(refresh_stats(), 1)
        self.assertEqual(CaseFact.objects.get(case=case).accepted_on_time, 1)
        row = DailyStat.objects.get(dim="unit", unit=self.street.pk)
        self.assertEqual((row.received, row.dispatched, row.accepted_on_time), (1, 1, 1))

    def test_a_duplicate_follows_its_main_case_to_another_unit(self):
        main = self.dispatched_case()
        duplicate = steps.merge(self.new_case(), self.operator, into=main, now=self.now)
        while refresh_stats():
            pass
        self.assertEqual(CaseFact.objects.get(case=duplicate).unit, self.street.pk)
        steps.dispatch(self.fresh(main), self.dispatcher, lead=self.housing, now=self.now)  # 改派 before acceptance
        while refresh_stats():
            pass
        self.assertEqual(CaseFact.objects.get(case=duplicate).unit, self.housing.pk)
        incremental, rebuilt = from_scratch()
        self.assertEqual(incremental, rebuilt)


class TwoWorkersTestCase(RaceTestCase):
    def test_two_workers_at_once_count_each_change_once(self):
        for i in range(40):
            case = self.dispatched_case()
            if i % 2:
                steps.accept(case, self.street_handler, now=self.now)

        def refresh_all():
            while refresh_stats():
                pass

        at_once(refresh_all, timeout=120)
        self.assertFalse(Case.objects.filter(stats_dirty=True).exists())
        row = DailyStat.objects.get(dim="unit", unit=self.street.pk)
        self.assertEqual((row.received, row.dispatched, row.accepted_on_time), (40, 40, 20))
        incremental, rebuilt = from_scratch()
        self.assertEqual(incremental, rebuilt)


ACTORS = ["operator", "dispatcher", "supervisor", "street", "community", "department", "citizen", "outsider"]
history = st.lists(
    st.tuples(
        st.sampled_from(sorted(STEPS) + ["dispatch", "accept", "reply", "good_rating", "bad_rating", "merge", "refresh"] * 2),
        st.sampled_from(["right"] * 4 + ACTORS),
        st.integers(min_value=0, max_value=72),
        st.sampled_from([0, 1, 2]),
    ),
    min_size=10, max_size=40,
)


class AnyHistoryTestCase(HistoryTestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(history)
    def test_increments_equal_a_rebuild(self, moves):
        """Random steps on three cases, the worker's refresh at random moments:
        the summaries always equal a rebuild from the events."""
        now = at(2026, 1, 5, 9, 0)
        self.now = now
        cases = [self.new_case(now=now, title=f"第{i}件") for i in range(3)]
        self.other = cases[2]
        for name, who, hours, which in moves:
            now += dt.timedelta(hours=hours)
            if name == "refresh":
                refresh_stats()
            else:
                self.move(name, who, cases[which].pk, now)
        while refresh_stats():
            pass
        incremental, rebuilt = from_scratch()
        self.assertEqual(incremental, rebuilt)
