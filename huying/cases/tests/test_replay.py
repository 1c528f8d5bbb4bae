"""A case's state can be rebuilt from its events alone, whatever happened.

Hypothesis draws random histories: steps by random people at random later
times, most of them refused. After each history every case's row must equal
the replay of its events.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from huying.cases import steps
from huying.cases.errors import Refused
from huying.cases.models import Case, Satisfaction
from huying.cases.replay import replay, snapshot
from huying.sla import worker
from huying.test import Actors, at, forget_caches

STEPS = {
    "dispatch": lambda t, c, u, now: steps.dispatch(c, u, lead=t.street, co_units=[t.housing], now=now),
    "dispatch_housing": lambda t, c, u, now: steps.dispatch(c, u, lead=t.housing, now=now),
    "dispatch_down": lambda t, c, u, now: steps.dispatch_down(c, u, to=t.community, now=now),
    "accept": lambda t, c, u, now: steps.accept(c, u, now=now),
    "return": lambda t, c, u, now: steps.request_return(c, u, reason="非本单位职责", now=now),
    "approve_return": lambda t, c, u, now: steps.approve_return(c, u, now=now),
    "reject_return": lambda t, c, u, now: steps.reject_return(c, u, reason="请办理", now=now),
    "extension": lambda t, c, u, now: steps.request_extension(c, u, days=3, reason="需协调", now=now),
    "approve_extension": lambda t, c, u, now: steps.approve_extension(c, u, now=now),
    "reject_extension": lambda t, c, u, now: steps.reject_extension(c, u, reason="否", now=now),
    "reply": lambda t, c, u, now: steps.reply(c, u, text="已处理", now=now),
    "contribute": lambda t, c, u, now: steps.contribute(c, u, text="协办", now=now),
    "good_rating": lambda t, c, u, now: steps.follow_up(c, u, resolved=True, satisfaction=Satisfaction.SATISFIED, now=now),
    "bad_rating": lambda t, c, u, now: steps.follow_up(c, u, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=now),
    "reopen": lambda t, c, u, now: steps.reopen(c, u, reason="再次反映", now=now),
    "review": lambda t, c, u, now: steps.review(c, u, reasonable=False, reason="不合理", now=now),
    "close": lambda t, c, u, now: steps.close(c, u, reason="无效", now=now),
    "urge": lambda t, c, u, now: steps.urge(c, u, now=now),
    "supervise": lambda t, c, u, now: steps.supervise(c, u, now=now),
    "merge": lambda t, c, u, now: steps.merge(c, u, into=t.other, now=now),
    "worker": lambda t, c, u, now: worker.tick(now),
}
ACTORS = ["operator", "dispatcher", "supervisor", "street", "community", "department", "citizen", "outsider"]

# "right" picks whoever should take the step, so histories reach deep states;
# the others are mostly refused, which must leave no trace either.
RIGHT = {
    "dispatch": "dispatcher", "dispatch_housing": "dispatcher", "approve_return": "dispatcher",
    "reject_return": "supervisor", "approve_extension": "supervisor", "reject_extension": "supervisor",
    "good_rating": "operator", "bad_rating": "operator", "reopen": "supervisor", "review": "supervisor",
    "close": "supervisor", "urge": "supervisor", "supervise": "supervisor", "merge": "operator",
    "contribute": "department", "worker": "operator",
}
HANDLERS = {"440104001": "street", "440104001001": "community", "dept-housing": "department"}

history = st.lists(
    st.tuples(
        st.sampled_from(sorted(STEPS) + ["dispatch", "accept", "reply", "bad_rating", "dispatch_down"] * 3),
        st.sampled_from(["right"] * 4 + ACTORS),
        st.integers(min_value=0, max_value=72),
    ),
    min_size=10, max_size=40,
)


class HistoryTestCase(Actors, TestCase):
    """The world, once per class, for hypothesis' many examples; fresh caches for each."""

    @classmethod
    def setUpTestData(cls):
        cls.build_world()

    def setUp(self):
        forget_caches()

    def move(self, name, who, pk, now):
        """One step on the case as it now stands, by `who` ("right": whoever
        should take it); a refusal is part of the history being tried."""
        current = Case.objects.select_related("lead_unit").get(pk=pk)
        if who == "right":
            lead = current.lead_unit.code if current.lead_unit else ""
            who = RIGHT.get(name) or HANDLERS.get(lead, "street")
        try:
            STEPS[name](self, current, self.everyone[who], now)
        except Refused:
            pass


class ReplayTestCase(HistoryTestCase):
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(history)
    def test_state_is_the_replay_of_events(self, moves):
        now = at(2026, 1, 5, 9, 0)
        self.now = now
        case = self.new_case(now=now)
        self.other = self.new_case(now=now, title="同一堆垃圾")
        for name, who, hours in moves:
            now += dt.timedelta(hours=hours)
            self.move(name, who, case.pk, now)
        for each in Case.objects.all():
            self.assertEqual(replay(each.events.all()), snapshot(each), each.number)
