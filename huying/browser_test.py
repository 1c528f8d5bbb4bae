"""What every browser test shares: Debian's Chromium against Django's live
server, each person at a browser of their own, with the district and people
of huying.test. The fixtures that hand these out are in the root conftest.py.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from huying.test import Actors

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Screenshots are test artefacts, never committed (.gitignore).
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
DESK = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 740}
NUMBER = re.compile(r"YX\d{12}")


class World(Actors):
    """The fixed district of huying.test, built for one browser test; its
    cases are made at the real time, like the pages' own steps."""

    @property
    def now(self):
        return timezone.now()


def serve_static(route):
    """Static files straight from the finders: the live server hands them out
    one slow request at a time, which would be most of a browser test's time."""
    path = finders.find(urlsplit(route.request.url).path.removeprefix(settings.STATIC_URL.rstrip("/") + "/").removeprefix("/"))
    if path is None:
        route.fulfill(status=404)
        return
    route.fulfill(path=path, headers={"Cache-Control": "max-age=3600"})


class Person:
    """One person at their own browser (a context of their own)."""

    def __init__(self, browser, base, username=None, viewport=DESK, form=False):
        self.base = base
        self.username = username
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.context.set_default_timeout(15_000)
        # Nothing may leave the machine (no map tiles, no CDN). A later route
        # is tried first: a request off the live server is aborted whatever its path.
        self.context.route("**/static/**", serve_static)
        self.context.route(lambda url: not url.startswith(base), lambda route: route.abort())
        self.page = self.context.new_page()
        if username and form:
            self.log_in(username)
        elif username:
            self.take_session(username)

    def take_session(self, username):
        """Logged in without the form (a second saved per person); the form
        itself is driven by `log_in`."""
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base}])

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def log_in(self, username, password="password"):
        page = self.go("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        assert "/login/" not in page.url, f"{username} could not log in"

    def submit(self, locator):
        """Click a button that posts a form and wait for the page it leads to."""
        with self.page.expect_navigation():
            locator.click()
        return self.page

    def switch_language(self):
        """The button in the header: 中文 ⇄ English."""
        self.submit(self.page.locator("form.lang button"))

    def speak(self, language):
        """Choose the language as the switch would (its cookie), and reload."""
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base}])
        self.page.reload()
        return self.page

    def overflow(self):
        """How many pixels the page is wider than the window (0 = fits)."""
        return self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def text(self):
        return self.page.inner_text("body")

    def close(self):
        self.context.close()
