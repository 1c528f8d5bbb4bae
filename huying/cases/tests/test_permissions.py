"""Every step tried by every role: the right ones succeed, everyone else is
refused, and a refusal leaves the case exactly as it was."""

from huying.cases import steps
from huying.cases.errors import NotAllowed, Refused, WrongState
from huying.cases.models import Case, Event, Satisfaction
from huying.cases.replay import snapshot
from huying.test import BaseTestCase, at

CENTRE = {"operator", "dispatcher", "supervisor"}


class PermissionTestCase(BaseTestCase):
    def check(self, make, act, allowed):
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                case = make()
                before, events = self.state(case), Event.objects.count()
                if name in allowed:
                    act(case, user)
                    self.assertGreater(Event.objects.count(), events)
                else:
                    with self.assertRaises(NotAllowed):
                        act(case, user)
                    self.assertEqual(self.state(case), before)
                    self.assertEqual(Event.objects.count(), events)

    def state(self, case):
        return snapshot(self.fresh(case)) if case else Case.objects.count()

    def replied_with_co_unit(self):
        case = self.new_case()
        steps.dispatch(case, self.dispatcher, lead=self.street, co_units=[self.housing], now=self.now)
        return case

    def test_intake_by_phone(self):
        act = lambda _, user: steps.intake(user, kind="complaint", channel="phone", title="噪音", text="夜间施工噪音", now=self.now)
        self.check(lambda: None, act, CENTRE)

    def test_intake_on_patrol(self):
        act = lambda _, user: steps.intake(user, kind="report", channel="patrol", title="占道经营",
                                           text="路口有流动摊贩", grid=self.grid_unit, now=self.now)
        self.check(lambda: None, act, CENTRE | {"street", "community", "grid"})

    def test_intake_on_the_web(self):
        act = lambda _, user: steps.intake(user, kind="help", channel="web", title="路灯不亮", text="路灯坏了", now=self.now)
        self.check(lambda: None, act, CENTRE | {"citizen"})

    def test_dispatch(self):
        self.check(self.new_case, lambda c, u: steps.dispatch(c, u, lead=self.street, now=self.now), {"operator", "dispatcher"})

    def test_dispatch_down(self):
        self.check(self.accepted_case, lambda c, u: steps.dispatch_down(c, u, to=self.community, now=self.now), {"street"})

    def test_accept(self):
        self.check(self.dispatched_case, lambda c, u: steps.accept(c, u, now=self.now), {"street"})

    def test_accept_after_dispatch_down(self):
        def make():
            case = self.accepted_case()
            return steps.dispatch_down(case, self.street_handler, to=self.grid_unit, now=self.now)
        # The street and the community stand above the grid and may act for it.
        self.check(make, lambda c, u: steps.accept(c, u, now=self.now), {"street", "community", "grid"})

    def test_request_return(self):
        self.check(self.dispatched_case, lambda c, u: steps.request_return(c, u, reason="非本单位职责", now=self.now), {"street"})

    def returned(self):
        case = self.dispatched_case()
        return steps.request_return(case, self.street_handler, reason="非本单位职责", now=self.now)

    def test_approve_return(self):
        self.check(self.returned, lambda c, u: steps.approve_return(c, u, now=self.now), {"dispatcher", "supervisor"})

    def test_reject_return(self):
        self.check(self.returned, lambda c, u: steps.reject_return(c, u, reason="属地", now=self.now), {"dispatcher", "supervisor"})

    def test_request_extension(self):
        act = lambda c, u: steps.request_extension(c, u, days=3, reason="需协调", now=self.now)
        self.check(self.accepted_case, act, {"street"})

    def extension_asked(self):
        case = self.accepted_case()
        return steps.request_extension(case, self.street_handler, days=3, reason="需协调", now=self.now)

    def test_approve_extension(self):
        self.check(self.extension_asked, lambda c, u: steps.approve_extension(c, u, now=self.now), {"supervisor"})

    def test_reject_extension(self):
        self.check(self.extension_asked, lambda c, u: steps.reject_extension(c, u, reason="否", now=self.now), {"supervisor"})

    def test_reply(self):
        self.check(self.accepted_case, lambda c, u: steps.reply(c, u, text="已处理", now=self.now), {"street"})

    def test_contribute(self):
        self.check(self.replied_with_co_unit, lambda c, u: steps.contribute(c, u, text="协办意见", now=self.now), {"department"})

    def test_follow_up(self):
        act = lambda c, u: steps.follow_up(c, u, resolved=True, satisfaction=Satisfaction.SATISFIED, now=self.now)
        self.check(self.replied_case, act, {"operator", "supervisor"})

    def test_citizen_rates_only_their_own_case(self):
        def make():
            case = steps.intake(self.citizen, kind="help", channel="web", title="井盖缺失", text="路口井盖缺失", now=self.now)
            steps.dispatch(case, self.dispatcher, lead=self.street, now=self.now)
            steps.accept(case, self.street_handler, now=self.now)
            return steps.reply(case, self.street_handler, text="已补装", now=self.now)
        act = lambda c, u: steps.follow_up(c, u, resolved=True, satisfaction=Satisfaction.SATISFIED, now=self.now)
        self.check(make, act, {"operator", "supervisor", "citizen"})

    def test_reopen(self):
        self.check(self.replied_case, lambda c, u: steps.reopen(c, u, reason="市民再次反映", now=self.now), {"supervisor"})

    def under_review(self):
        case = self.replied_case()
        for _ in range(2):
            steps.follow_up(case, self.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=self.now)
            steps.accept(case, self.street_handler, now=self.now)
            steps.reply(case, self.street_handler, text="再次处理", now=self.now)
        return steps.follow_up(case, self.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=self.now)

    def test_review(self):
        self.check(self.under_review, lambda c, u: steps.review(c, u, reasonable=True, reason="合理", now=self.now), {"supervisor"})

    def test_close_new_case(self):
        self.check(self.new_case, lambda c, u: steps.close(c, u, reason="无效来电", now=self.now), CENTRE)

    def test_close_replied_case(self):
        self.check(self.replied_case, lambda c, u: steps.close(c, u, reason="三次联系不上市民", now=self.now), {"supervisor"})

    def test_urge(self):
        self.check(self.accepted_case, lambda c, u: steps.urge(c, u, message="请尽快", now=self.now), {"supervisor"})

    def test_supervise(self):
        self.check(self.accepted_case, lambda c, u: steps.supervise(c, u, message="督办", now=self.now), {"supervisor"})

    def test_merge(self):
        main = self.accepted_case()
        self.check(self.new_case, lambda c, u: steps.merge(c, u, into=main, now=self.now), CENTRE)


class WrongStateTestCase(BaseTestCase):
    """Steps out of order are refused with a message and change nothing."""

    def refused(self, case, act, error=WrongState):
        before, events = snapshot(self.fresh(case)), Event.objects.count()
        with self.assertRaises(error) as caught:
            act()
        self.assertTrue(str(caught.exception))
        self.assertEqual(snapshot(self.fresh(case)), before)
        self.assertEqual(Event.objects.count(), events)

    def test_accept_before_dispatch(self):
        case = self.new_case()
        self.refused(case, lambda: steps.accept(case, self.street_handler, now=self.now))

    def test_reply_before_accept(self):
        case = self.dispatched_case()
        self.refused(case, lambda: steps.reply(case, self.street_handler, text="好", now=self.now))

    def test_return_after_one_working_day(self):
        case = self.accepted_case()  # dispatched Tue 3 Mar 10:00
        late = at(2026, 3, 4, 10, 1)
        self.refused(case, lambda: steps.request_return(case, self.street_handler, reason="非本单位", now=late))

    def test_return_needs_a_reason(self):
        case = self.dispatched_case()
        self.refused(case, lambda: steps.request_return(case, self.street_handler, reason="  ", now=self.now), Refused)

    def test_extension_after_the_deadline(self):
        case = self.accepted_case()
        late = at(2026, 3, 24, 10, 0)
        self.refused(case, lambda: steps.request_extension(case, self.street_handler, days=3, reason="x", now=late))

    def test_extension_twice(self):
        case = self.accepted_case()
        steps.request_extension(case, self.street_handler, days=3, reason="需协调", now=self.now)
        self.refused(case, lambda: steps.request_extension(case, self.street_handler, days=3, reason="x", now=self.now))

    def test_extension_of_bad_length(self):
        case = self.accepted_case()
        self.refused(case, lambda: steps.request_extension(case, self.street_handler, days=99, reason="x", now=self.now), Refused)

    def test_follow_up_before_reply(self):
        case = self.accepted_case()
        self.refused(case, lambda: steps.follow_up(case, self.operator, resolved=True, satisfaction="satisfied", now=self.now))

    def test_follow_up_with_unknown_rating(self):
        case = self.replied_case()
        self.refused(case, lambda: steps.follow_up(case, self.operator, resolved=True, satisfaction="ok", now=self.now), Refused)

    def test_dispatch_to_a_community(self):
        case = self.new_case()
        self.refused(case, lambda: steps.dispatch(case, self.dispatcher, lead=self.community, now=self.now), Refused)

    def test_dispatch_down_outside_own_tree(self):
        case = self.accepted_case()
        self.refused(case, lambda: steps.dispatch_down(case, self.street_handler, to=self.other_community, now=self.now), Refused)

    def test_merge_into_itself_or_a_closed_case(self):
        case = self.new_case()
        self.refused(case, lambda: steps.merge(case, self.operator, into=case, now=self.now), Refused)
        closed = self.new_case()
        steps.close(closed, self.operator, reason="无效", now=self.now)
        self.refused(case, lambda: steps.merge(case, self.operator, into=closed, now=self.now), Refused)

    def test_urge_a_closed_case(self):
        case = self.new_case()
        steps.close(case, self.operator, reason="无效", now=self.now)
        self.refused(case, lambda: steps.urge(case, self.supervisor, now=self.now))

    def test_confidential_only_for_reports(self):
        with self.assertRaises(Refused):
            self.new_case(kind="complaint", confidential=True)

    def test_bad_input_at_intake(self):
        for bad in [{"kind": "rumour"}, {"title": ""}, {"citizen_phone": "abc"}, {"lat": 91, "lng": 113},
                    {"lat": "x", "lng": 1}, {"urgency": "soon"}, {"community": self.other_community, "street": self.street}]:
            with self.subTest(bad=bad), self.assertRaises(Refused):
                self.new_case(**bad)
        self.assertEqual(Event.objects.count(), 0)
