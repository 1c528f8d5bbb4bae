"""The admin pages for days, schedule years and limits, as a superuser."""

import datetime as dt
from unittest import mock

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huying.sla import calendar
from huying.sla.models import Day, Limit, ScheduleYear
from huying.test import BaseTestCase

GOOD_2027 = "date,working,note\n2027-01-01,0,元旦\n2027-02-20,班,春节调休\n"


def csv_file(text, encoding="utf-8"):
    return SimpleUploadedFile("schedule.csv", text.encode(encoding), content_type="text/csv")


class SlaAdminTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        # The messages are checked in English, the language they are written in.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.client.force_login(self.admin)
        self.upload = reverse("admin:sla_scheduleyear_upload")

    def tearDown(self):
        calendar.forget()

    def messages(self, response):
        return [str(m) for m in get_messages(response.wsgi_request)]

    def deployment_days(self):
        return list(Day.objects.filter(source=Day.DEPLOYMENT).values_list("date", "working", "note"))

    # Lists

    def test_the_lists_show(self):
        for name in ("day", "scheduleyear", "limit"):
            with self.subTest(model=name):
                self.assertEqual(self.client.get(reverse(f"admin:sla_{name}_changelist")).status_code, 200)
        page = self.client.get(reverse("admin:sla_scheduleyear_changelist"))
        self.assertContains(page, f'href="{reverse("admin:sla_scheduleyear_upload")}"')

    def test_the_days_list_filters_by_source(self):
        calendar.store_deployment_days([(dt.date(2026, 3, 4), False, "区运会")])
        page = self.client.get(reverse("admin:sla_day_changelist"), {"source__exact": Day.DEPLOYMENT})
        self.assertContains(page, "区运会")
        self.assertContains(page, "周三")
        self.assertEqual(page.context["cl"].result_count, 1)

    def test_the_schedule_list_warns_in_november(self):
        url = reverse("admin:sla_scheduleyear_changelist")
        with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 15)):
            self.assertContains(self.client.get(url), "No working-day schedule is loaded for 2027 yet")
            calendar.store_deployment_days([(dt.date(2027, 1, 1), False, "元旦")], schedule_years=[2027])
            self.assertNotContains(self.client.get(url), "No working-day schedule")

    # Uploading a schedule

    def test_upload_a_year(self):
        self.assertEqual(self.client.get(self.upload).status_code, 200)
        response = self.client.post(self.upload, {"file": csv_file(GOOD_2027), "year": 2027})
        self.assertRedirects(response, reverse("admin:sla_scheduleyear_changelist"))
        self.assertEqual(self.messages(response), ["2 days stored. 2027 is marked as scheduled."])
        self.assertEqual(self.deployment_days(), [(dt.date(2027, 1, 1), False, "元旦"), (dt.date(2027, 2, 20), True, "春节调休")])
        self.assertEqual(ScheduleYear.objects.get(year=2027).source, Day.DEPLOYMENT)
        self.assertTrue(calendar.is_working(dt.date(2027, 2, 20)))

    def test_upload_a_deployments_own_days_without_a_year(self):
        response = self.client.post(self.upload, {"file": csv_file("date,working,note\n2026-03-04,0,区运会\n")})
        self.assertEqual(self.messages(response), ["1 days stored."])
        self.assertFalse(calendar.is_working(dt.date(2026, 3, 4)))
        self.assertNotIn(2027, calendar.scheduled_years())

    def test_a_bad_file_stores_nothing_and_names_the_lines(self):
        text = "date,working,note\n2027-01-01,0,元旦\n2027-02-30,0,\n2027-02-20,maybe,\n"
        response = self.client.post(self.upload, {"file": csv_file(text), "year": 2027})
        self.assertContains(response, "Line 3: bad date")  # the form again; the admin capitalises messages
        self.assertEqual(self.messages(response), [
            "line 3: bad date '2027-02-30' (want YYYY-MM-DD)",
            "line 4: working must be 1 or 0, not 'maybe'",
            "Nothing was stored.",
        ])
        self.assertEqual(self.deployment_days(), [])
        self.assertFalse(ScheduleYear.objects.filter(year=2027).exists())

    def test_a_year_the_file_does_not_have_is_refused(self):
        response = self.client.post(self.upload, {"file": csv_file(GOOD_2027), "year": 2028})
        self.assertEqual(self.messages(response), ["The file has no day in 2028. Nothing stored."])
        self.assertEqual(self.deployment_days(), [])

    def test_a_file_not_in_utf8_is_refused(self):
        response = self.client.post(self.upload, {"file": csv_file(GOOD_2027, "gb18030")})
        self.assertIn("not UTF-8", self.messages(response)[0])
        self.assertEqual(self.deployment_days(), [])

    def test_only_staff_may_upload(self):
        self.client.force_login(self.operator)
        response = self.client.post(self.upload, {"file": csv_file(GOOD_2027), "year": 2027})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])
        self.assertEqual(self.deployment_days(), [])

    # Days

    def test_add_a_day_off(self):
        response = self.client.post(reverse("admin:sla_day_add"), {"date": "2026-03-04", "note": "区运会"})
        self.assertRedirects(response, reverse("admin:sla_day_changelist"))
        self.assertEqual(self.deployment_days(), [(dt.date(2026, 3, 4), False, "区运会")])
        # The cached calendar was dropped: the next deadline sees the day at once.
        self.assertFalse(calendar.is_working(dt.date(2026, 3, 4)))

    def test_a_second_row_for_the_same_date_is_a_form_error(self):
        calendar.store_deployment_days([(dt.date(2026, 3, 4), False, "区运会")])
        response = self.client.post(reverse("admin:sla_day_add"), {"date": "2026-03-04", "working": "on"})
        self.assertContains(response, "already has a row for 2026-03-04")
        self.assertEqual(self.deployment_days(), [(dt.date(2026, 3, 4), False, "区运会")])

    def test_national_rows_are_read_only(self):
        day = Day.objects.get(date=dt.date(2026, 2, 17), source=Day.CHINESE_CALENDAR)
        url = reverse("admin:sla_day_change", args=[day.pk])
        self.assertEqual(self.client.get(url).status_code, 200)  # can be seen
        self.assertEqual(self.client.post(url, {"date": "2026-02-17", "working": "on"}).status_code, 403)
        self.assertEqual(self.client.post(reverse("admin:sla_day_delete", args=[day.pk]), {"post": "yes"}).status_code, 403)
        day.refresh_from_db()
        self.assertFalse(day.working)

    def test_bulk_delete_refuses_national_rows(self):
        calendar.store_deployment_days([(dt.date(2026, 2, 17), True, "值班")])
        both = Day.objects.filter(date=dt.date(2026, 2, 17))
        self.assertEqual(self.delete_selected(both).status_code, 403)
        self.assertEqual(both.count(), 2)

    def test_bulk_delete_of_deployment_days(self):
        calendar.store_deployment_days([(dt.date(2026, 2, 17), True, "值班")])
        self.assertTrue(calendar.is_working(dt.date(2026, 2, 17)))
        self.delete_selected(Day.objects.filter(source=Day.DEPLOYMENT))
        self.assertEqual(self.deployment_days(), [])
        self.assertFalse(calendar.is_working(dt.date(2026, 2, 17)))  # 春节 again, at once

    def delete_selected(self, rows):
        return self.client.post(reverse("admin:sla_day_changelist"), {
            "action": "delete_selected", "post": "yes", "_selected_action": [r.pk for r in rows],
        })

    # Limits

    def test_add_a_limit(self):
        data = {"kind": "complaint", "urgency": "normal", "accept": "1", "accept_unit": Limit.WORKDAYS,
                "reply": "7", "reply_unit": Limit.WORKDAYS}
        response = self.client.post(reverse("admin:sla_limit_add"), data)
        self.assertRedirects(response, reverse("admin:sla_limit_changelist"))
        self.assertEqual(Limit.objects.get(kind="complaint", urgency="normal").reply, 7)

    def test_a_misspelt_kind_is_refused(self):
        data = {"kind": "complain", "urgency": "normal", "accept": "1", "accept_unit": Limit.WORKDAYS,
                "reply": "7", "reply_unit": Limit.WORKDAYS}
        response = self.client.post(reverse("admin:sla_limit_add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Limit.objects.exists())


class AdminIndexWarningTestCase(BaseTestCase):
    def test_admins_are_warned_on_the_admin_home_while_next_year_has_no_schedule(self):
        import datetime as dt
        from unittest import mock

        self.client.force_login(self.admin)
        with mock.patch("huying.sla.calendar.timezone.localdate", return_value=dt.date(2026, 11, 27)):
            body = self.client.get("/admin/").content.decode()
        self.assertIn("No working-day schedule is loaded for 2027", body)
        ScheduleYear.objects.create(year=2027, source="deployment")
        with mock.patch("huying.sla.calendar.timezone.localdate", return_value=dt.date(2026, 11, 27)):
            body = self.client.get("/admin/").content.decode()
        self.assertNotIn("No working-day schedule is loaded for 2027", body)
