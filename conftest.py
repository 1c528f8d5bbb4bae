"""Suite-wide test set-up, and the fixtures every browser test shares
(the helpers behind them are in huying/browser_test.py)."""

import os

import pytest
from django.db import connection
from django.test import override_settings

from huying import browser_test
from huying.web.tests.photos import image_bytes

# Django's live_server runs in a thread next to pytest-playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Argon2 is deliberately slow; tests create many users. The production
    setting is checked on its own in huying/tests/test_settings.py."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# --- browser tests -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Browser tests drive Debian's Chromium (`make browser-deps`), offline."""
    if not os.path.exists(browser_test.CHROMIUM):
        pytest.skip(f"{browser_test.CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": browser_test.CHROMIUM, "args": browser_test.CHROMIUM_ARGS}


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    """The district and people of huying.test, at the real time; uploads in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    browser_test.World.build_world()
    return browser_test.World()


@pytest.fixture
def photo_file(tmp_path):
    """A small real JPEG on disk, to attach through a file input."""
    path = tmp_path / "现场照片.jpg"
    path.write_bytes(image_bytes("JPEG", size=(64, 48)))
    return str(path)


@pytest.fixture
def person(browser, live_server):
    """person(username=None, viewport=DESK, form=False): someone at a browser of their own."""
    opened = []

    def open_as(username=None, viewport=browser_test.DESK, form=False):
        someone = browser_test.Person(browser, live_server.url, username, viewport, form)
        opened.append(someone)
        return someone

    yield open_as
    for someone in opened:
        someone.close()


@pytest.fixture
def screenshots():
    """Where `shot` saves: test-artifacts/screenshots/<database>/; a folder of tests may override it."""
    return browser_test.ARTEFACTS / connection.vendor


@pytest.fixture
def shot(screenshots):
    """shot(page, name): save a full-page screenshot as a test artefact (not committed)."""
    screenshots.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        path = screenshots / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    return save
