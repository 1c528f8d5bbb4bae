"""Browser tests of the orders pages: Debian's Chromium against Django's
live server, with the district and people of huying.test."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone

from huying.test import Actors

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots" / "orders"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (`make browser-deps`), with nothing reaching the network."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


class World(Actors):
    """The fixed district, at the real time (the pages act at the real time)."""

    @property
    def now(self):
        return timezone.now()


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    World.build_world()
    return World()


class Person:
    """One person at their own browser."""

    def __init__(self, browser, base, username=None, viewport=None):
        self.base = base
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 860}, locale="zh-CN")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        if username:
            client = Client()
            client.force_login(User.objects.get(username=username))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def submit(self, locator):
        """Click a button that posts a form; wait for the page it leads to."""
        with self.page.expect_navigation():
            locator.click()
        return self.page


@pytest.fixture
def person(browser, live_server):
    opened = []

    def open_as(username=None, viewport=None):
        someone = Person(browser, live_server.url, username, viewport)
        opened.append(someone)
        return someone

    yield open_as
    for someone in opened:
        someone.context.close()


@pytest.fixture
def shot():
    """Screenshots are artefacts, not committed: test-artifacts/screenshots/orders/<database>/."""
    folder = ARTEFACTS / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    return save
