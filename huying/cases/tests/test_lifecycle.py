"""A case driven through every step of the brief by the right roles."""

from huying.cases import steps
from huying.cases.models import Kind, Satisfaction, Status
from huying.cases.replay import replay, snapshot
from huying.test import BaseTestCase, at


class LifecycleTestCase(BaseTestCase):
    def test_whole_path_with_dispatch_down_reopen_and_close(self):
        case = self.new_case()
        self.assertRegex(case.number, r"^YX20260303\d{4}$")
        self.assertEqual(case.street, self.street)

        steps.dispatch(case, self.dispatcher, lead=self.street, co_units=[self.housing], now=self.now)
        self.assertEqual(case.status, Status.DISPATCHED)
        # Complaint: accept within 1 working day, reply within 15.
        self.assertEqual(case.accept_due, at(2026, 3, 4, 10, 0))
        self.assertEqual(case.reply_due, at(2026, 3, 24, 10, 0))

        steps.accept(case, self.street_handler, now=at(2026, 3, 3, 11, 0))
        steps.dispatch_down(case, self.street_handler, to=self.community, reason="属地社区处理", now=at(2026, 3, 3, 12, 0))
        self.assertEqual((case.status, case.lead_unit, case.dispatched_by), (Status.DISPATCHED, self.community, self.street))
        steps.accept(case, self.community_handler, now=at(2026, 3, 3, 14, 0))
        steps.contribute(case, self.department_handler, text="住建局已协调物业。", now=at(2026, 3, 4, 9, 0))
        steps.reply(case, self.community_handler, text="已清运。", now=at(2026, 3, 5, 9, 0))
        self.assertEqual(case.status, Status.REPLIED)
        self.assertEqual(case.followup_due, at(2026, 3, 6, 9, 0))

        steps.follow_up(case, self.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=at(2026, 3, 5, 15, 0))
        self.assertEqual((case.status, case.reopen_count, case.lead_unit), (Status.DISPATCHED, 1, self.community))
        steps.accept(case, self.community_handler, now=at(2026, 3, 5, 16, 0))
        steps.reply(case, self.community_handler, text="再次清运并加装垃圾桶。", now=at(2026, 3, 6, 9, 0))
        steps.follow_up(case, self.operator, resolved=True, satisfaction=Satisfaction.SATISFIED, now=at(2026, 3, 6, 11, 0))
        self.assertEqual(case.status, Status.CLOSED)

        case = self.fresh(case)
        actions = list(case.events.values_list("action", flat=True))
        self.assertEqual(actions, [
            "intake", "dispatch", "accept", "dispatch_down", "accept", "contribute", "reply",
            "follow_up", "reopen", "accept", "reply", "follow_up", "close",
        ])
        self.assertEqual(replay(case.events.all()), snapshot(case))

    def test_return_approved_goes_back_to_the_centre(self):
        case = self.dispatched_case(lead=self.housing)
        steps.request_return(case, self.department_handler, reason="属街道职责", now=at(2026, 3, 3, 15, 0))
        self.assertEqual(case.status, Status.RETURN_REQUESTED)
        steps.approve_return(case, self.dispatcher, reason="同意", now=at(2026, 3, 3, 16, 0))
        self.assertEqual((case.status, case.lead_unit, case.reply_due), (Status.NEW, None, None))
        steps.dispatch(case, self.dispatcher, lead=self.street, now=at(2026, 3, 3, 16, 30))
        self.assertEqual(case.lead_unit, self.street)

    def test_return_rejected_stays_with_the_unit(self):
        case = self.accepted_case()
        steps.request_return(case, self.street_handler, reason="不是我们的", now=self.now)
        steps.reject_return(case, self.supervisor, reason="属地管理，请办理", now=self.now)
        self.assertEqual((case.status, case.lead_unit), (Status.ACCEPTED, self.street))

    def test_return_to_the_street_that_passed_it_down(self):
        case = self.accepted_case()
        steps.dispatch_down(case, self.street_handler, to=self.community, now=self.now)
        steps.request_return(case, self.community_handler, reason="不在本社区", now=self.now)
        steps.approve_return(case, self.street_handler, reason="街道自办", now=self.now)
        self.assertEqual((case.status, case.lead_unit), (Status.ACCEPTED, self.street))

    def test_extension_approved_moves_the_deadline(self):
        case = self.accepted_case()
        steps.request_extension(case, self.street_handler, days=5, reason="需协调产权单位", now=self.now)
        steps.approve_extension(case, self.supervisor, now=self.now)
        # 24 March + 5 working days = 31 March.
        self.assertEqual(case.reply_due, at(2026, 3, 31, 10, 0))
        self.assertEqual((case.extension_days, case.extension_count), (None, 1))

    def test_extension_rejected_keeps_the_deadline(self):
        case = self.accepted_case()
        steps.request_extension(case, self.street_handler, days=5, reason="需协调", now=self.now)
        steps.reject_extension(case, self.supervisor, reason="理由不充分", now=self.now)
        self.assertEqual((case.reply_due, case.extension_days), (at(2026, 3, 24, 10, 0), None))

    def test_third_bad_rating_goes_to_review(self):
        case = self.replied_case()
        for _ in range(2):
            steps.follow_up(case, self.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=self.now)
            steps.accept(case, self.street_handler, now=self.now)
            steps.reply(case, self.street_handler, text="再次处理", now=self.now)
        steps.follow_up(case, self.operator, resolved=True, satisfaction=Satisfaction.UNSATISFIED, now=self.now)
        self.assertEqual((case.status, case.reopen_count), (Status.REVIEW, 2))
        steps.review(case, self.supervisor, reasonable=False, reason="诉求超出政策范围", now=self.now)
        self.assertEqual(case.status, Status.CLOSED)
        self.assertTrue(case.rating_excluded)

    def test_urge_and_supervise(self):
        case = self.accepted_case()
        steps.urge(case, self.supervisor, message="请加快", now=self.now)
        steps.supervise(case, self.supervisor, message="督办", days=3, now=self.now)
        self.assertEqual((case.urge_count, case.supervised), (1, True))
        self.assertEqual(case.supervise_due, at(2026, 3, 6, 10, 0))
        self.assertEqual(self.street.notifications.count(), 2)

    def test_merge_shares_the_reply_and_each_caller_rates(self):
        main = self.accepted_case()
        duplicate = self.new_case(citizen_phone="13900001111")
        steps.merge(duplicate, self.operator, into=main, now=self.now)
        self.assertEqual((duplicate.status, duplicate.main_case), (Status.MERGED, main))
        steps.reply(main, self.street_handler, text="已处理", now=self.now)
        duplicate = self.fresh(duplicate)
        self.assertEqual(duplicate.reply_text, "已处理")
        self.assertIsNotNone(duplicate.followup_due)
        steps.follow_up(duplicate, self.operator, resolved=True, satisfaction=Satisfaction.BASICALLY, now=self.now)
        self.assertEqual((duplicate.status, duplicate.satisfaction), (Status.MERGED, Satisfaction.BASICALLY))

    def test_close_invalid_case_and_supervisor_reopens_closed(self):
        case = self.new_case()
        steps.close(case, self.operator, reason="骚扰电话", now=self.now)
        self.assertEqual(case.status, Status.CLOSED)
        done = self.replied_case()
        steps.follow_up(done, self.operator, resolved=True, satisfaction=Satisfaction.SATISFIED, now=self.now)
        steps.reopen(done, self.supervisor, reason="市民再次来电反映", now=self.now)
        self.assertEqual((done.status, done.reopen_count), (Status.DISPATCHED, 1))

    def test_citizen_submits_and_rates_own_case(self):
        case = steps.intake(self.citizen, kind=Kind.HELP, channel="web", title="路灯不亮", text="小区门口路灯坏了",
                            citizen_phone="13700001234", now=self.now)
        self.assertEqual(case.citizen_user, self.citizen)
        steps.dispatch(case, self.dispatcher, lead=self.street, now=self.now)
        steps.accept(case, self.street_handler, now=self.now)
        steps.reply(case, self.street_handler, text="已修复", now=self.now)
        steps.follow_up(case, self.citizen, resolved=True, satisfaction=Satisfaction.SATISFIED, now=self.now)
        self.assertEqual(case.status, Status.CLOSED)
