"""The orders pages' screenshots keep a folder of their own; every other
browser fixture is the suite's (the root conftest.py)."""

import pytest
from django.db import connection

from huying.browser_test import ARTEFACTS


@pytest.fixture
def screenshots():
    """test-artifacts/screenshots/orders/<database>/."""
    return ARTEFACTS / "orders" / connection.vendor
