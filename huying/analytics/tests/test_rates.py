"""The three rates on a small district worked by hand, through the real steps.

All cases come in on Tue 3 Mar 2026 10:00 as complaints (accept within one
working day, i.e. by Wed 4 Mar 10:00; reply within 15 working days, by Tue
24 Mar 10:00).

    A  street: accepted 11:00, replied 5 Mar, resolved + satisfied      responded
    B  street: accepted 5 Mar (late), replied, resolved + basically      overdue
    C  street: on time, rated unsatisfied -> reopened, then satisfied    responded, reopened
    D  street: on time, unsatisfied three times -> review, unreasonable  responded, excluded
    E  duplicate of A (merged); its caller rates resolved + unsatisfied  counted for A's street
    F  department: accepted on time, replied 1 Apr (late), not yet rated overdue
    G  not dispatched
    H  street: never accepted, urged by the worker on 5 Mar              overdue

Street (A B C D E H): received 6, merged 1, dispatched 5, responded 3 (A C D),
rated 4 (A B C E), resolved 4, satisfied 2 + basically 1.
    response 3/5 = 60 %, resolution 4/4 = 100 %, satisfaction 3/4 = 75 %,
    score (30·0.60 + 35·1.00 + 35·0.75) = 79.25
Department: dispatched 1, responded 0, replied late: response 0 %, no rating.
"""

from django.test import override_settings

from huying.analytics import figures
from huying.analytics.behind import cases_behind
from huying.analytics.models import CaseFact, DailyStat
from huying.analytics.periods import parse
from huying.analytics.refresh import rebuild, refresh_stats
from huying.analytics.scope import Scope, Units
from huying.cases import steps
from huying.cases.models import Case, Satisfaction
from huying.org.models import Unit
from huying.sla import worker
from huying.test import BaseTestCase, at

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED


def settle():
    while refresh_stats():
        pass


class Stories:
    """The eight cases above, made through the real steps (mixed into tests)."""

    def rate(self, case, resolved, satisfaction, when):
        return steps.follow_up(self.fresh(case), self.operator, resolved=resolved, satisfaction=satisfaction, now=when)

    def round(self, case, when, handler=None):
        handler = handler or self.street_handler
        case = steps.accept(self.fresh(case), handler, now=when)
        return steps.reply(case, handler, text="已处理完毕。", now=when)

    def build(self):
        t = at(2026, 3, 3, 11, 0)
        a = steps.accept(self.dispatched_case(), self.street_handler, now=t)
        e = steps.merge(self.new_case(title="同一问题"), self.operator, into=a, now=t)
        steps.reply(self.fresh(a), self.street_handler, text="已清运。", now=at(2026, 3, 5, 9, 0))
        self.rate(a, True, S, at(2026, 3, 5, 15, 0))
        self.rate(e, True, U, at(2026, 3, 5, 16, 0))

        b = self.dispatched_case()
        self.round(b, at(2026, 3, 5, 11, 0))
        self.rate(b, True, B, at(2026, 3, 6, 10, 0))

        c = self.dispatched_case()
        self.round(c, t)
        self.rate(c, False, U, at(2026, 3, 4, 10, 0))  # reopened
        self.round(c, at(2026, 3, 4, 11, 0))
        self.rate(c, True, S, at(2026, 3, 5, 10, 0))

        d = self.dispatched_case()
        for day in (3, 4, 5):
            self.round(d, at(2026, 3, day, 11, 0))
            self.rate(d, False, U, at(2026, 3, day, 15, 0))
        steps.review(self.fresh(d), self.supervisor, reasonable=False, reason="诉求超出政策范围", now=at(2026, 3, 6, 10, 0))

        f = self.dispatched_case(lead=self.housing, category=self.lifts)
        steps.accept(self.fresh(f), self.department_handler, now=t)
        steps.reply(self.fresh(f), self.department_handler, text="已答复。", now=at(2026, 4, 1, 10, 0))

        g = self.new_case()
        h = self.dispatched_case()
        worker.tick(at(2026, 3, 5, 10, 0))
        self.cases = dict(zip("ABCDEFGH", [a, b, c, d, e, f, g, h]))
        settle()


class RatesTestCase(Stories, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.build()
        self.march = parse("2026-03")
        self.everything = Scope.of(self.leader)

    def test_facts_match_the_stories(self):
        fact = {name: CaseFact.objects.get(case=case) for name, case in self.cases.items()}
        self.assertEqual((fact["A"].responded, fact["A"].satisfied, fact["A"].closed), (1, 1, 1))
        self.assertEqual((fact["B"].accepted_on_time, fact["B"].first_contact_in_time, fact["B"].overdue), (0, 1, 1))
        self.assertEqual((fact["C"].reopened, fact["C"].responded, fact["C"].satisfied, fact["C"].unsatisfied), (1, 1, 1, 0))
        self.assertEqual((fact["D"].rated, fact["D"].excluded, fact["D"].responded), (0, 1, 1))
        self.assertEqual((fact["E"].merged, fact["E"].dispatched, fact["E"].rated, fact["E"].unsatisfied), (1, 0, 1, 1))
        self.assertEqual(fact["E"].unit, self.street.pk)  # the main case's unit answers for it
        self.assertEqual((fact["F"].replied, fact["F"].replied_on_time, fact["F"].overdue), (1, 0, 1))
        self.assertEqual((fact["G"].unit, fact["G"].dispatched), (0, 0))
        self.assertEqual((fact["H"].overdue, fact["H"].accepted_on_time), (1, 0))

    def test_street_rates_by_hand(self):
        row = {r["unit"]: r for r in figures.ranking(self.everything, self.march, Unit.STREET)}[self.street.pk]
        self.assertEqual(
            [row[k] for k in ("received", "merged", "dispatched", "responded", "rated", "resolved", "satisfied", "basically",
                              "unsatisfied", "excluded", "reopened", "overdue")],
            [6, 1, 5, 3, 4, 4, 2, 1, 1, 1, 2, 2],
        )
        self.assertAlmostEqual(row["response"], 0.6)
        self.assertAlmostEqual(row["resolution"], 1.0)
        self.assertAlmostEqual(row["satisfaction"], 0.75)
        self.assertAlmostEqual(row["score"], 79.25)
        self.assertEqual(row["rank"], 1)

    def test_department_without_ratings_has_no_score(self):
        rows = figures.ranking(self.everything, self.march, Unit.DEPARTMENT)
        housing = {r["unit"]: r for r in rows}[self.housing.pk]
        self.assertEqual((housing["dispatched"], housing["responded"], housing["replied_on_time"]), (1, 0, 0))
        self.assertEqual(housing["response"], 0.0)
        self.assertIsNone(housing["resolution"])
        self.assertIsNone(housing["score"])
        self.assertIsNone(housing["rank"])

    @override_settings(RATE_WEIGHTS="1,0,0")
    def test_weights_are_a_setting(self):
        row = {r["unit"]: r for r in figures.ranking(self.everything, self.march, Unit.STREET)}[self.street.pk]
        self.assertAlmostEqual(row["score"], 60.0)

    def test_district_totals_include_the_undispatched(self):
        total = figures.totals(self.everything, self.march)
        self.assertEqual((total["received"], total["dispatched"], total["responded"]), (8, 6, 3))
        self.assertAlmostEqual(total["response"], 0.5)

    def test_a_street_sees_its_own_figures_only(self):
        street = figures.totals(Scope.of(self.street_handler), self.march)
        self.assertEqual(street["received"], 6)
        outsider = figures.totals(Scope.of(self.outsider), self.march)
        self.assertEqual(outsider["received"], 0)
        self.assertTrue(Scope.of(self.citizen).empty)

    def test_each_figure_lists_exactly_its_cases(self):
        tree = Units()
        numbers = {c.pk: name for name, c in self.cases.items()}

        def behind(user, metric, **kw):
            return sorted(numbers[c.pk] for c in cases_behind(user, Scope.of(user), metric, self.march, tree=tree, **kw))

        self.assertEqual(behind(self.leader, "responded", unit=self.street.pk), ["A", "C", "D"])
        self.assertEqual(behind(self.leader, "overdue"), ["B", "F", "H"])
        self.assertEqual(behind(self.leader, "excluded"), ["D"])
        self.assertEqual(behind(self.leader, "merged"), ["E"])
        self.assertEqual(behind(self.leader, "received", unit=0), ["G"])
        self.assertEqual(behind(self.street_handler, "overdue"), ["B", "H"])
        self.assertEqual(behind(self.outsider, "received"), [])
        self.assertEqual(behind(self.leader, "received", dim="category", key=str(self.lifts.top().pk)), ["F"])

    def test_increments_add_up_to_a_rebuild(self):
        before = sorted(DailyStat.objects.values_list(*stat_columns()))
        DailyStat.objects.all().delete()
        CaseFact.objects.all().delete()
        rebuild()
        self.assertEqual(sorted(DailyStat.objects.values_list(*stat_columns())), before)
        self.assertFalse(Case.objects.filter(stats_dirty=True).exists())

    def test_live_overdue_and_at_risk(self):
        # Only H is still held by a unit; on 5 Mar it is past its accept deadline.
        self.assertEqual(figures.live_totals(self.everything, at(2026, 3, 5, 10, 0)), {"open": 1, "overdue_now": 1, "at_risk_now": 0})
        self.dispatched_case()  # accept due Wed 4 Mar 10:00, like H
        # At risk in the last quarter of the 1-working-day limit: from 04:00 (huying.sla.risk).
        noon = at(2026, 3, 3, 12, 0)
        self.assertEqual(figures.live_totals(self.everything, noon), {"open": 2, "overdue_now": 0, "at_risk_now": 0})
        early = at(2026, 3, 4, 4, 0)
        self.assertEqual(figures.live_totals(self.everything, early), {"open": 2, "overdue_now": 0, "at_risk_now": 2})
        self.assertEqual(figures.live_totals(Scope.of(self.department_handler), noon)["open"], 0)


def stat_columns():
    return [f.attname for f in DailyStat._meta.concrete_fields if f.name != "id"]
