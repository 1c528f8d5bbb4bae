"""Browser tests: Debian's Chromium (see the root conftest) against Django's
live server, with the same district and people as every other test."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.utils import timezone

from huying.test import Actors
from huying.web.tests.photos import image_bytes

ARTEFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
DESK = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 740}
NUMBER = re.compile(r"YX\d{12}")


class World(Actors):
    """The fixed district of huying.test, built for one browser test; its
    cases are made at the real time, like the pages' own steps."""

    @property
    def now(self):
        return timezone.now()


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    World.build_world()
    return World()


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "现场照片.jpg"
    path.write_bytes(image_bytes("JPEG", size=(64, 48)))
    return str(path)


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
        self.context.set_default_timeout(10_000)
        self.context.route("**/static/**", serve_static)
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


@pytest.fixture
def person(browser, live_server):
    opened = []

    def open_as(username=None, viewport=DESK, form=False):
        someone = Person(browser, live_server.url, username, viewport, form)
        opened.append(someone)
        return someone

    yield open_as
    for someone in opened:
        someone.close()


@pytest.fixture
def shot():
    """Save a screenshot as a test artefact (not committed): test-artifacts/screenshots/<database>/."""
    folder = ARTEFACTS / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    return save
