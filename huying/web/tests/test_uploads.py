"""Photos are checked by what they are and how big, re-encoded without EXIF,
stored under names we choose outside the web root, and served only to
people who may see the case."""

import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from huying.cases import steps
from huying.cases.errors import BadInput
from huying.cases.models import Attachment
from huying.console.tests.base import WebTestCase
from huying.web import uploads
from huying.web.tests.photos import gps_exif, image_bytes, photo

MEDIA = tempfile.mkdtemp(prefix="huying-test-uploads-")


@override_settings(MEDIA_ROOT=MEDIA)
class UploadTestCase(WebTestCase):
    def test_jpeg_png_and_webp_are_accepted(self):
        for kind, content_type in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")):
            with self.subTest(kind=kind):
                [checked] = uploads.check([photo(f"x.{kind.lower()}", kind, content_type)])
                self.assertEqual(checked.content_type, content_type)
                self.assertEqual(Image.open(io.BytesIO(checked.data)).format, kind)

    def test_what_is_not_a_photo_is_refused_whatever_it_claims(self):
        bad = [
            SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"),
            SimpleUploadedFile("x.jpg", image_bytes("JPEG")[:40], content_type="image/jpeg"),  # truncated
            SimpleUploadedFile("x.gif", image_bytes("GIF"), content_type="image/gif"),
            SimpleUploadedFile("x.pdf", image_bytes("JPEG"), content_type="application/pdf"),
        ]
        for upload in bad:
            with self.subTest(name=upload.name, content_type=upload.content_type):
                with self.assertRaises(BadInput):
                    uploads.check([upload])

    @override_settings(UPLOAD_MAX_BYTES=1000)
    def test_too_large_is_refused(self):
        with self.assertRaisesRegex(BadInput, "太大"):
            uploads.check([photo(size=(400, 400))])

    def test_too_many_is_refused(self):
        with self.assertRaises(BadInput):
            uploads.check([photo() for _ in range(uploads.MAX_PHOTOS + 1)])

    def test_exif_with_the_place_is_dropped(self):
        raw = image_bytes("JPEG", exif=gps_exif())
        self.assertIn(b"PhoneMaker", raw)
        [checked] = uploads.check([SimpleUploadedFile("x.jpg", raw, content_type="image/jpeg")])
        self.assertNotIn(b"PhoneMaker", checked.data)
        self.assertEqual(dict(Image.open(io.BytesIO(checked.data)).getexif()), {})

    def reply_with_photo(self):
        case = self.dispatched_case()
        steps.accept(case, self.street_handler)
        self.client.force_login(self.street_handler)
        self.client.post(reverse("console:act", args=[case.number, "reply"]),
                         {"text": "已清理", "photos": [photo("现场.jpg")]})
        return self.fresh(case)

    def test_reply_photos_are_stored_outside_the_web_root_under_our_names(self):
        case = self.reply_with_photo()
        [attachment] = Attachment.objects.filter(case=case)
        self.assertEqual(attachment.event.action, "reply")
        self.assertEqual(attachment.name, "现场.jpg")
        path = Path(attachment.file.path)
        self.assertTrue(path.is_relative_to(MEDIA))
        self.assertFalse(path.is_relative_to(settings.STATIC_ROOT))
        self.assertRegex(path.name, r"^[0-9a-f]{32}\.jpg$")

    def test_a_bad_photo_leaves_no_reply(self):
        case = self.dispatched_case()
        steps.accept(case, self.street_handler)
        self.client.force_login(self.street_handler)
        bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
        self.client.post(reverse("console:act", args=[case.number, "reply"]), {"text": "已清理", "photos": [bad]})
        self.assertEqual(self.fresh(case).status, "accepted")
        self.assertFalse(Attachment.objects.filter(case=case).exists())

    def test_served_only_to_those_who_see_the_case(self):
        case = self.reply_with_photo()
        attachment = Attachment.objects.get(case=case)
        url = reverse("file", args=[attachment.pk])
        for who, user in self.everyone.items():
            with self.subTest(actor=who):
                self.client.force_login(user)
                response = self.client.get(url)
                visible = who in ("operator", "dispatcher", "supervisor", "street", "community", "leader", "admin")
                self.assertEqual(response.status_code, 200 if visible else 404)
                if visible:
                    self.assertEqual(response["Content-Type"], "image/jpeg")
                    self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                    b"".join(response.streaming_content)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)


def tearDownModule():
    import shutil

    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA, UPLOAD_MAX_BYTES=1000)
class BodyLimitTestCase(WebTestCase):
    def test_an_oversize_body_is_refused_unread(self):
        big = SimpleUploadedFile("x.jpg", b"\xff" * (2 * 1024 * 1024), content_type="image/jpeg")
        response = self.client.post(reverse("public:submit"), {"title": "t", "text": "t", "photos": [big]})
        self.assertEqual(response.status_code, 413)
        case = self.accepted_case()
        self.client.force_login(self.street_handler)
        self.client.post(reverse("console:act", args=[case.number, "reply"]), {"text": "已处理", "photos": [big]})
        self.assertEqual(self.fresh(case).status, "accepted")
