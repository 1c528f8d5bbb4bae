"""Suite-wide test set-up."""

import os

import pytest
from django.test import override_settings

# Django's live_server runs in a thread next to pytest-playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Browser tests drive Debian's Chromium (`make browser-deps`), offline."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Argon2 is deliberately slow; tests create many users. The production
    setting is checked on its own in huying/tests/test_settings.py."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
