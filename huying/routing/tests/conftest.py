"""The routing tests read reasons in English, whatever the deployment's
language (Simplified Chinese by default); test_language.py checks both
languages and sets its own (its module says `OWN_LANGUAGE = True`)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(request):
    if getattr(request.module, "OWN_LANGUAGE", False):
        yield
        return
    with translation.override("en"):
        yield
