"""Suite-wide test set-up."""

import os

import pytest
from django.test import override_settings

# Django's live_server runs in a thread next to pytest-playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Argon2 is deliberately slow; tests create many users. The production
    setting is checked on its own in huying/tests/test_settings.py."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
