"""Citizens without an account: submit with a photo and a map point, track
with the number and the last four digits of the phone, rate the answer."""

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from huying.cases import steps
from huying.cases.actors import Actor
from huying.cases.errors import NotAllowed
from huying.cases.models import Attachment, Case, Channel, Status
from huying.console.tests.base import WebTestCase
from huying.public import throttle
from huying.public.models import Attempt
from huying.web.tests.photos import photo

MEDIA = tempfile.mkdtemp(prefix="huying-test-public-")
REQUEST = {
    "kind": "complaint", "title": "路灯不亮", "text": "东风中路268号门口路灯坏了一周。", "address": "东风中路268号",
    "citizen_name": "王五", "citizen_phone": "13900001234", "lat": "23.1291", "lng": "113.2644",
}


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA)
class SubmitTestCase(WebTestCase):
    def submit(self, **changes):
        return self.client.post(reverse("public:submit"), REQUEST | changes)

    def test_submit_with_a_photo_and_a_point(self):
        response = self.submit(photos=[photo("路灯.jpg")])
        case = Case.objects.get()
        self.assertRedirects(response, reverse("public:case", args=[case.number]), fetch_redirect_response=False)
        self.assertEqual((case.channel, case.status, case.citizen_phone), (Channel.WEB, Status.NEW, "13900001234"))
        self.assertEqual((case.lat, case.lng), (23.1291, 113.2644))
        self.assertIsNone(case.citizen_user)
        self.assertEqual(case.events.get(action="intake").actor_label, "市民")
        # Smart dispatch looked at it at once (no trained model here: it waits for a dispatcher).
        self.assertTrue(case.events.filter(action="route").exists())
        [attachment] = Attachment.objects.filter(case=case)
        self.assertEqual(attachment.event.action, "intake")
        page = self.client.get(reverse("public:case", args=[case.number])).content.decode()
        self.assertIn(case.number, page)
        self.assertIn(reverse("file", args=[attachment.pk]), page)
        self.assertEqual(self.client.get(reverse("file", args=[attachment.pk])).status_code, 200)

    def test_a_bad_photo_creates_nothing(self):
        response = self.submit(photos=[SimpleUploadedFile("x.jpg", b"MZ\x90\x00", content_type="image/jpeg")])
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Case.objects.exists())
        self.assertFalse(Attachment.objects.exists())

    def test_bad_input_is_explained_and_creates_nothing(self):
        for changes in ({"citizen_phone": ""}, {"citizen_phone": "abc"}, {"title": ""}, {"lat": "23.1", "lng": ""},
                        {"lat": "123", "lng": "113"}, {"confidential": "on"}, {"kind": "order"}):
            with self.subTest(changes=changes):
                response = self.submit(**changes)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        self.assertFalse(Case.objects.exists())

    def test_a_report_may_be_confidential(self):
        self.submit(kind="report", confidential="on")
        self.assertTrue(Case.objects.get().confidential)

    def test_anonymous_actor_only_on_citizen_channels(self):
        with self.assertRaises(NotAllowed):
            steps.intake(Actor.anonymous(), kind="help", channel="phone", title="t", text="t")
        with self.assertRaises(NotAllowed):
            steps.intake(Actor.anonymous(), kind="help", channel="web", title="t", text="t", citizen_user=self.citizen)

    def test_a_signed_in_citizen_submits_in_their_own_name(self):
        self.client.force_login(self.citizen)
        self.submit()
        case = Case.objects.get()
        self.assertEqual(case.citizen_user, self.citizen)
        self.assertContains(self.client.get(reverse("public:mine")), case.number)

    @override_settings(PUBLIC_LIMITS={"submit:ip": 2})
    def test_one_address_cannot_flood_the_centre(self):
        for _ in range(3):
            self.submit()
        self.assertEqual(Case.objects.count(), 2)


class TrackTestCase(WebTestCase):
    def setUp(self):
        super().setUp()
        self.case = self.new_case(citizen_phone="13812345678")

    def track(self, last_four, number=None):
        return self.client.post(reverse("public:track"), {"number": number or self.case.number, "last_four": last_four})

    def test_number_and_last_four_open_the_case(self):
        self.assertEqual(self.client.get(reverse("public:case", args=[self.case.number])).status_code, 404)
        response = self.track("5678")
        self.assertRedirects(response, reverse("public:case", args=[self.case.number]))

    def test_wrong_digits_or_number_say_the_same(self):
        wrong_digits = self.track("1234").content.decode()
        wrong_number = self.track("5678", number="YX209901010001").content.decode()
        message = "没有与此工单号和电话匹配的工单。"
        self.assertIn(message, wrong_digits)
        self.assertIn(message, wrong_number)

    def test_guessing_is_stopped(self):
        for _ in range(throttle.LIMITS[(Attempt.TRACK_FAILED, "case")]):
            self.track("0000")
        response = self.track("5678")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "错误次数过多")

    def test_the_public_page_shows_no_staff_names_or_internal_steps(self):
        case = self.dispatched_case()
        steps.accept(case, self.street_handler)
        steps.request_extension(case, self.street_handler, days=3, reason="需要协调物业")
        steps.reply(case, self.street_handler, text="已修复")
        self.track("5678", number=case.number)
        body = self.client.get(reverse("public:case", args=[case.number])).content.decode()
        self.assertIn("已修复", body)
        for hidden in ("street", "dispatcher", "operator", "需要协调物业"):
            self.assertNotIn(hidden, body)

    def test_rating_closes_or_reopens(self):
        case = self.replied_case()
        self.track("5678", number=case.number)
        self.client.post(reverse("public:rate", args=[case.number]), {"resolved": "no", "satisfaction": "unsatisfied"})
        case = self.fresh(case)
        self.assertEqual((case.status, case.reopen_count), (Status.DISPATCHED, 1))
        steps.accept(case, self.street_handler)
        steps.reply(case, self.street_handler, text="再次处理")
        self.client.post(reverse("public:rate", args=[case.number]), {"resolved": "yes", "satisfaction": "satisfied"})
        self.assertEqual(self.fresh(case).status, Status.CLOSED)

    def test_nobody_else_can_rate(self):
        case = self.replied_case()
        response = self.client.post(reverse("public:rate", args=[case.number]), {"resolved": "yes", "satisfaction": "satisfied"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.fresh(case).status, Status.REPLIED)
