"""Pages act at the real time (the steps they call take no `now`), so page
tests make their cases now too; BaseTestCase's fixed Tuesday stays for the
cases that must be old."""

from django.utils import timezone

from huying.test import BaseTestCase


class WebTestCase(BaseTestCase):
    @property
    def now(self):
        return timezone.now()
