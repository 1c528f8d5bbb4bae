"""Photos over REST: uploaded by the console's rules (checked, re-encoded
without EXIF, recorded as an `attach` event), downloaded by the console's
rules, and refused with a clear 4xx that leaves nothing behind: no event,
no row and no file."""

import io
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from huying.api.tests.base import ApiTestCase
from huying.cases import attachments, steps
from huying.cases.errors import NotAllowed, WrongState
from huying.cases.models import Attachment, Event
from huying.web.tests.photos import gps_exif, image_bytes, photo


def files_on_disk():
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


class AttachmentTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        # A folder of its own for each test: the test's rollback does not remove files.
        media = tempfile.mkdtemp(prefix="huying-test-api-photos-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        media_root = override_settings(MEDIA_ROOT=media)
        media_root.enable()
        self.addCleanup(media_root.disable)
        self.case = self.accepted_case()
        self.url = f"/api/v1/cases/{self.case.number}/attachments/"

    def upload(self, role="street", **form):
        return self.api(role).post(self.url, form, format="multipart")

    def state(self):
        case = self.fresh(self.case)
        return case.version, Event.objects.filter(case=case).count(), Attachment.objects.count(), files_on_disk()

    def assert_refused(self, response, status, code):
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response.json()["code"], code)
        self.assertTrue(response.json()["detail"])


class UploadTest(AttachmentTestCase):
    def test_a_photo_with_a_note_becomes_an_attach_event(self):
        raw = image_bytes("JPEG", exif=gps_exif())
        response = self.upload(file=SimpleUploadedFile("现场.jpg", raw, content_type="image/jpeg"), note=" 已到现场 ", version=3)
        self.assertEqual(response.status_code, 201, response.content[:300])
        body = response.json()
        self.assertEqual((body["name"], body["content_type"], body["action"], body["note"]), ("现场.jpg", "image/jpeg", "attach", "已到现场"))
        case = self.fresh(self.case)
        event = case.events.get(seq=case.version)
        self.assertEqual((event.action, event.reason, event.actor, event.actor_unit), ("attach", "已到现场", self.street_handler, self.street))
        self.assertEqual(body["event"], event.seq)
        self.assertEqual(case.status, "accepted")  # a photo changes nothing else
        [path] = files_on_disk()
        self.assertRegex(path.name, r"^[0-9a-f]{32}\.jpg$")
        stored = path.read_bytes()
        self.assertNotIn(b"PhoneMaker", stored)  # EXIF (the place it was taken) is gone
        self.assertEqual(body["size"], len(stored))
        download = self.api("street").get(body["download_url"])
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), stored)
        listed = self.api("operator").get(self.url).json()
        self.assertEqual([row["id"] for row in listed], [body["id"]])

    def test_png_and_webp_keep_their_type(self):
        for kind, content_type in (("PNG", "image/png"), ("WEBP", "image/webp")):
            with self.subTest(kind=kind):
                response = self.upload(file=photo(f"x.{kind.lower()}", kind, content_type))
                self.assertEqual(response.status_code, 201)
                self.assertEqual(response.json()["content_type"], content_type)
                download = self.api("street").get(response.json()["download_url"])
                self.assertEqual(Image.open(io.BytesIO(b"".join(download.streaming_content))).format, kind)

    def test_the_console_shows_the_photo_in_the_history(self):
        attachment_id = self.upload(file=photo("现场.jpg"), note="已到现场").json()["id"]
        self.client.force_login(self.operator)
        page = self.client.get(reverse("console:case", args=[self.case.number])).content.decode()
        self.assertIn("补充照片", page)
        self.assertIn("已到现场", page)
        self.assertIn(reverse("file", args=[attachment_id]), page)

    def test_bad_input_is_refused_and_leaves_nothing(self):
        text = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
        gif = SimpleUploadedFile("x.gif", image_bytes("GIF"), content_type="image/gif")
        pdf = SimpleUploadedFile("x.pdf", image_bytes("JPEG"), content_type="application/pdf")
        empty = SimpleUploadedFile("x.jpg", b"", content_type="image/jpeg")
        cases = [  # what, the form, the error's code (or the field named for a form error)
            ("no file", {"note": "x"}, "file"),
            ("empty file", {"file": empty}, "file"),
            ("not a file", {"file": "abc"}, "file"),
            ("a note too long", {"file": photo(), "note": "长" * 2001}, "note"),
            ("not an image", {"file": text}, "bad_input"),
            ("a GIF", {"file": gif}, "bad_input"),
            ("claims to be a PDF", {"file": pdf}, "bad_input"),
        ]
        before = self.state()
        for what, form, expected in cases:
            with self.subTest(what):
                response = self.upload(**form)
                self.assertEqual(response.status_code, 400, response.content[:300])
                body = response.json()
                if expected == "bad_input":
                    self.assertEqual(body["code"], "bad_input")
                    self.assertIn(form["file"].name, body["detail"])
                else:
                    self.assertEqual((body["code"], list(body["fields"])), ("invalid", [expected]))
                self.assertEqual(self.state(), before)

    def test_two_files_at_once_are_refused(self):
        before = self.state()
        response = self.api("street").post(self.url, {"file": [photo("a.jpg"), photo("b.jpg")]}, format="multipart")
        self.assert_refused(response, 400, "bad_input")
        self.assertEqual(self.state(), before)

    @override_settings(UPLOAD_MAX_BYTES=1000)
    def test_too_large_is_413(self):
        before = self.state()
        response = self.upload(file=photo(size=(400, 400)))
        self.assert_refused(response, 413, "too_large")
        self.assertIn("MB", response.json()["detail"])
        self.assertEqual(self.state(), before)

    @override_settings(API_MAX_BODY_BYTES=1000)
    def test_a_photo_larger_than_the_api_body_limit_is_taken(self):
        response = self.upload(file=photo(size=(400, 400)))
        self.assertEqual(response.status_code, 201, response.content)
        self.assertGreater(int(response.wsgi_request.META["CONTENT_LENGTH"]), 1000)

    @override_settings(UPLOAD_MAX_BYTES=1000)
    def test_a_body_too_large_for_one_photo_is_refused_unread(self):
        big = SimpleUploadedFile("x.jpg", b"\xff" * (attachments.BODY_MARGIN + 2000), content_type="image/jpeg")
        before = self.state()
        with mock.patch("huying.cases.attachments.check_one") as checked:
            response = self.upload(file=big)
        self.assert_refused(response, 413, "too_large")
        checked.assert_not_called()
        self.assertEqual(self.state(), before)

    def test_json_and_malformed_multipart_are_refused(self):
        before = self.state()
        client = self.api("street")
        response = client.post(self.url, {"file": "x"}, format="json")
        self.assertEqual(response.status_code, 415)
        response = client.generic("POST", self.url, b"--nope\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx",
                                  content_type="multipart/form-data; boundary=other")
        self.assertEqual(response.status_code, 400, response.content[:300])
        response = client.generic("POST", self.url, b"x", content_type="multipart/form-data")  # no boundary
        self.assertEqual(response.status_code, 400, response.content[:300])
        self.assertEqual(self.state(), before)

    def test_a_stale_version_is_409(self):
        before = self.state()
        self.assert_refused(self.upload(file=photo(), version=1), 409, "conflict")
        self.assertEqual(self.state(), before)

    def test_a_closed_case_takes_no_photo(self):
        case = steps.close(self.new_case(), self.operator, reason="无效来电", now=self.now)
        response = self.api("operator").post(f"/api/v1/cases/{case.number}/attachments/", {"file": photo()}, format="multipart")
        self.assert_refused(response, 409, "wrong_state")
        self.assertEqual(files_on_disk(), [])

    def test_who_may_not_is_refused_before_the_photo_is_read(self):
        with mock.patch("huying.cases.attachments.check_one") as checked:
            self.assert_refused(self.upload("leader", file=photo()), 403, "not_allowed")
            self.assertEqual(self.upload("outsider", file=photo()).status_code, 404)
        checked.assert_not_called()

    def test_a_co_unit_may_add_photos(self):
        case = steps.dispatch(self.new_case(), self.dispatcher, lead=self.street, co_units=[self.housing], now=self.now)
        response = self.api("department").post(f"/api/v1/cases/{case.number}/attachments/", {"file": photo()}, format="multipart")
        self.assertEqual(response.status_code, 201, response.content[:300])
        self.assertEqual(Event.objects.get(case=case, action="attach").actor_unit, self.housing)


class AllOrNothingTest(AttachmentTestCase):
    def test_a_failing_row_leaves_no_file_and_no_event(self):
        before = self.state()
        with mock.patch.object(Attachment, "save", side_effect=OSError("disk full")):
            with self.assertRaises(OSError):
                attachments.attach(self.case, self.street_handler, attachments.check_one(photo()), now=self.now)
        self.assertEqual(self.state(), before)

    def test_a_failing_commit_leaves_no_file(self):
        """The step's transaction fails to commit after the file is written
        (as a lost database connection would): its rows roll back, and the
        file must go with them."""
        before = self.state()
        real_commit = connection.savepoint_commit
        failed = []

        def commit(sid):
            if files_on_disk() and not failed:
                failed.append(sid)
                raise DatabaseError("commit failed")
            return real_commit(sid)

        with mock.patch.object(connection, "savepoint_commit", side_effect=commit):
            with self.assertRaises(DatabaseError):
                attachments.attach(self.case, self.street_handler, attachments.check_one(photo()), now=self.now)
        self.assertEqual(len(failed), 1)
        self.assertEqual(self.state(), before)

    def test_the_step_checks_who_and_when(self):
        with self.assertRaises(NotAllowed):
            attachments.attach(self.case, self.leader, attachments.check_one(photo()), now=self.now)
        closed = steps.close(self.new_case(), self.operator, reason="无效来电", now=self.now)
        with self.assertRaises(WrongState):
            attachments.attach(closed, self.operator, attachments.check_one(photo()), now=self.now)
        self.assertEqual(files_on_disk(), [])



class DownloadTest(AttachmentTestCase):
    def setUp(self):
        super().setUp()
        self.mine = steps.intake(self.citizen, kind="help", channel="web", title="路灯", text="路灯不亮", now=self.now)
        [self.request_photo] = attachments.store(self.mine, self.mine.events.get(seq=1), [attachments.check_one(photo("市民.jpg"))])
        steps.dispatch(self.mine, self.dispatcher, lead=self.street, now=self.now)
        self.added = attachments.attach(self.mine, self.street_handler, attachments.check_one(photo("现场.jpg")), now=self.now)

    def download_url(self, case, attachment):
        return f"/api/v1/cases/{case.number}/attachments/{attachment.pk}/download/"

    def test_a_citizen_gets_their_request_s_photo_not_the_handlers(self):
        citizen = self.api("citizen")
        self.assertEqual([row["name"] for row in citizen.get(f"/api/v1/cases/{self.mine.number}/attachments/").json()], ["市民.jpg"])
        self.assertEqual(citizen.get(self.download_url(self.mine, self.request_photo)).status_code, 200)
        self.assertEqual(citizen.get(self.download_url(self.mine, self.added)).status_code, 404)
        # The same answers as the console's /files/{id}/.
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(reverse("file", args=[self.request_photo.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("file", args=[self.added.pk])).status_code, 404)

    def test_a_photo_is_found_only_under_its_own_case(self):
        response = self.api("operator").get(self.download_url(self.case, self.added))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")

    def test_asked_for_as_an_image_with_json_errors(self):
        ok = self.api("street").get(self.download_url(self.mine, self.added), HTTP_ACCEPT="image/jpeg")
        self.assertEqual((ok.status_code, ok["Content-Type"], ok["X-Content-Type-Options"]), (200, "image/jpeg", "nosniff"))
        self.assertIn("sandbox", ok["Content-Security-Policy"])
        missing = self.api("street").get(f"/api/v1/cases/{self.mine.number}/attachments/999999/download/", HTTP_ACCEPT="image/jpeg")
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.json()["code"], "not_found")

    def test_a_file_gone_from_disk_is_404(self):
        Path(self.added.file.path).unlink()
        self.assertEqual(self.api("street").get(self.download_url(self.mine, self.added)).status_code, 404)

    def test_the_schema_describes_the_endpoints(self):
        paths = self.client.get("/api/schema/?format=json").json()["paths"]
        post = paths["/api/v1/cases/{number}/attachments/"]["post"]
        self.assertEqual(list(post["requestBody"]["content"]), ["multipart/form-data"])
        self.assertEqual(set(paths["/api/v1/cases/{number}/attachments/{attachment_id}/download/"]["get"]["responses"]["200"]["content"]),
                         {"image/jpeg", "image/png", "image/webp"})
        listed = paths["/api/v1/cases/{number}/attachments/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        self.assertEqual(listed["type"], "array")  # not paginated
