"""An order from giving to done: assignments, progress, approval, notices;
and bad input refused with a clear message and nothing written."""

import tempfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from huying.cases.errors import BadInput, Conflict, WrongState
from huying.orders import steps
from huying.orders.models import Assignment, Notice, Order, OrderEvent, Progress, ProgressPhoto, Source, Status
from huying.orders.tests.base import OrdersTestCase, image
from huying.test import at


class GiveTestCase(OrdersTestCase):
    def test_an_order_has_its_target_deadline_and_units(self):
        order = self.give(text="区长批示：今年完成300台", target_text="不少于300台")
        self.assertEqual((order.title, order.target, order.measure, order.source),
                         ("旧楼加装电梯", Decimal(300), "台", Source.INSTRUCTION))
        self.assertEqual((order.lead_unit, list(order.co_units.all()), order.given_by),
                         (self.housing, [self.street], self.leader))
        self.assertEqual((order.status, order.done, order.starts_at), (Status.ON_TRACK, 0, self.now))
        event = order.events.get()
        self.assertEqual((event.seq, event.action, event.actor, event.changes["target"]), (1, "give", self.leader, "300"))
        self.assertEqual(set(Notice.objects.values_list("unit__code", flat=True)), {"dept-housing", "440104001"})

    def test_bad_input_is_refused_with_a_reason_and_writes_nothing(self):
        cases = [
            ({"title": " "}, "title"),
            ({"target": "abc"}, "number"),
            ({"target": 0}, "more than zero"),
            ({"target": -5}, "more than zero"),
            ({"target": "1.234"}, "two decimal"),
            ({"target": 120, "measure": "%"}, "100"),
            ({"measure": ""}, "measure"),
            ({"measure": "台" * 11}, "measure"),
            ({"deadline": at(2026, 3, 1)}, "future"),
            ({"deadline": None}, "deadline"),
            ({"lead_unit": None}, "lead unit"),
            ({"lead_unit": self.district}, "越秀区"),
        ]
        for fields, message in cases:
            with self.subTest(fields=fields):
                with self.assertRaises(BadInput) as caught:
                    self.give(**fields)
                self.assertIn(message, str(caught.exception))
        self.assertFalse(Order.objects.exists())
        self.assertFalse(OrderEvent.objects.exists())
        self.assertFalse(Notice.objects.exists())

    def test_the_lead_unit_is_not_also_a_co_unit(self):
        order = self.give(co_units=[self.housing, self.street, self.street])
        self.assertEqual(list(order.co_units.all()), [self.street])


class AssignTestCase(OrdersTestCase):
    def test_assignments_split_the_target_and_make_co_units(self):
        order = self.give(co_units=[])
        steps.assign(order, self.department_handler, unit=self.street, quantity=120, now=self.now)
        steps.assign(order, self.leader, unit=self.other_street, quantity=80, now=self.now)
        order = self.fresh_order(order)
        self.assertEqual(list(order.assignments.values_list("unit__code", "quantity")),
                         [("440104001", 120), ("440104003", 80)])
        self.assertEqual(set(order.co_units.all()), {self.street, self.other_street})
        self.assertEqual(list(order.events.values_list("action", flat=True)), ["give", "assign", "assign"])
        self.assertEqual(order.events.last().changes, {"unit": self.other_street.pk, "quantity": "80", "co_unit_added": self.other_street.pk})
        self.assertTrue(Notice.objects.filter(unit=self.other_street, text__contains="80 台").exists())

    def test_assigning_again_changes_the_quantity(self):
        order = self.assigned()
        steps.assign(order, self.department_handler, unit=self.street, quantity=150, now=self.now)
        self.assertEqual(Assignment.objects.get(order=order, unit=self.street).quantity, 150)
        self.assertEqual(order.events.last().changes["previous"], "100")

    def test_assignments_may_not_exceed_the_target(self):
        order = self.assigned()
        with self.assertRaises(BadInput) as caught:
            steps.assign(order, self.department_handler, unit=self.other_street, quantity=201, now=self.now)
        self.assertIn("301", str(caught.exception))
        self.assertEqual(order.assignments.count(), 1)

    def test_a_part_cannot_shrink_below_what_is_done(self):
        order = self.reported(quantity=30)
        steps.approve(self.progress, self.department_handler, now=self.now)
        with self.assertRaises(BadInput):
            steps.assign(self.fresh_order(order), self.department_handler, unit=self.street, quantity=20, now=self.now)

    def test_the_centre_and_the_district_get_no_part(self):
        order = self.give()
        for unit in (self.centre, self.district):
            with self.assertRaises(BadInput):
                steps.assign(order, self.leader, unit=unit, quantity=1, now=self.now)


class ProgressTestCase(OrdersTestCase):
    def test_approved_progress_counts_and_pending_does_not(self):
        order = self.reported(quantity=20)
        self.assertEqual((order.done, self.progress.state), (0, Progress.PENDING))
        self.assertTrue(Notice.objects.filter(unit=self.housing, text__contains="洪桥街道").exists())
        steps.approve(self.progress, self.department_handler, note="核实无误", now=self.now)
        order = self.fresh_order(order)
        self.assertEqual(order.done, 20)
        self.assertEqual(Assignment.objects.get(pk=self.assignment.pk).done, 20)
        self.assertEqual(Progress.objects.get(pk=self.progress.pk).state, Progress.APPROVED)
        self.assertEqual(list(order.events.values_list("action", flat=True)),
                         ["give", "assign", "report_progress", "approve_progress"])
        self.assertEqual(order.events.last().changes["done"], "20")

    def test_rejected_progress_does_not_count(self):
        order = self.reported(quantity=20)
        with self.assertRaises(BadInput):
            steps.reject(self.progress, self.department_handler, reason=" ", now=self.now)
        steps.reject(self.progress, self.department_handler, reason="缺少验收照片", now=self.now)
        self.assertEqual(self.fresh_order(order).done, 0)
        self.assertEqual(Progress.objects.get(pk=self.progress.pk).decision_note, "缺少验收照片")
        with self.assertRaises(WrongState):
            steps.approve(Progress.objects.get(pk=self.progress.pk), self.department_handler, now=self.now)

    def test_a_report_counts_once_even_when_approved_twice_at_once(self):
        self.reported(quantity=20)
        stale = Progress.objects.get(pk=self.progress.pk)
        steps.approve(self.progress, self.department_handler, now=self.now)
        with self.assertRaises(Conflict):  # the second approver read the order before the first wrote
            steps.approve(stale, self.department_handler, now=self.now)
        self.assertEqual(Order.objects.get().done, 20)

    def test_reaching_the_target_is_done_and_closes_the_order(self):
        order = self.give(target=30)
        part = steps.assign(order, self.department_handler, unit=self.street, quantity=30, now=self.now)
        for n in (10, 20):
            p = steps.report(part, self.street_handler, quantity=n, text=f"完成{n}台", now=self.now)
            steps.approve(p, self.department_handler, now=self.now)
        order = self.fresh_order(order)
        self.assertEqual((order.status, order.done, order.done_at, order.check_at), (Status.DONE, 30, self.now, None))
        with self.assertRaises(WrongState):
            steps.report(Assignment.objects.get(pk=part.pk), self.street_handler, quantity=1, text="再完成1台", now=self.now)

    def test_a_level_target_takes_the_latest_level(self):
        """就业困难人员就业率达70%: reports give the rate reached, not increments."""
        order = self.give(title="就业困难人员就业率", target=70, measure="%")
        part = steps.assign(order, self.department_handler, unit=self.street, quantity=70, now=self.now)
        for level in (40, 55):
            p = steps.report(part, self.street_handler, quantity=level, text=f"就业率{level}%", now=self.now)
            steps.approve(p, self.department_handler, now=self.now)
        order = self.fresh_order(order)
        self.assertEqual((order.done, order.percent), (55, 79))
        with self.assertRaises(BadInput):
            steps.report(part, self.street_handler, quantity=101, text="?", now=self.now)

    def test_bad_progress_input_writes_nothing(self):
        self.assigned()
        for fields, message in [({"quantity": 0}, "more than zero"), ({"quantity": "x"}, "number"), ({"text": ""}, "description")]:
            with self.subTest(fields=fields):
                values = {"quantity": 5, "text": "完成5台"} | fields
                with self.assertRaises(BadInput) as caught:
                    steps.report(self.assignment, self.street_handler, now=self.now, **values)
                self.assertIn(message, str(caught.exception))
        self.assertFalse(Progress.objects.exists())
        self.assertEqual(OrderEvent.objects.filter(action="report_progress").count(), 0)


class PhotoTestCase(OrdersTestCase):
    def setUp(self):
        super().setUp()
        media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="huying-orders-"))
        media.enable()
        self.addCleanup(media.disable)

    def report_with(self, *files):
        return steps.report(self.assignment, self.street_handler, quantity=3, text="完成3台，附现场照片",
                            files=list(files), now=self.now)

    def test_photos_are_kept_with_their_type_read_from_the_bytes(self):
        self.assigned()
        progress = self.report_with(SimpleUploadedFile("现场.png", image("PNG"), "image/jpeg"),
                                    SimpleUploadedFile("验收.jpeg", image("JPEG"), "image/jpeg"))
        photos = list(progress.photos.order_by("pk"))
        self.assertEqual([(p.name, p.content_type) for p in photos], [("现场.png", "image/png"), ("验收.jpeg", "image/jpeg")])
        self.assertTrue(photos[0].file.read().startswith(b"\x89PNG"))
        self.assertEqual(progress.order.events.last().changes["photos"], 2)

    def test_a_bad_photo_refuses_the_whole_report(self):
        self.assigned()
        for files, message in [
            ([SimpleUploadedFile("a.png", image(), "image/png"), SimpleUploadedFile("b.png", b"MZ\x90\x00" * 4, "image/png")], "b.png"),
            ([SimpleUploadedFile("big.png", image(size=(60, 60)), "image/png")], "big.png"),
            ([SimpleUploadedFile(f"{i}.png", image(), "image/png") for i in range(10)], "6"),
        ]:
            with self.subTest(message=message), override_settings(UPLOAD_MAX_BYTES=2000):
                with self.assertRaises(BadInput) as caught:
                    self.report_with(*files)
                self.assertIn(message, str(caught.exception))
        self.assertFalse(Progress.objects.exists())
        self.assertFalse(ProgressPhoto.objects.exists())
