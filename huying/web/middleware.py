"""Simplified Chinese unless the person picked English with the switch.

Django's own LocaleMiddleware would follow the browser's Accept-Language, so
an operator on an English-language browser would get an English console
without asking for it. Here only the language cookie set by the switch
counts; otherwise the deployment's LANGUAGE_CODE (zh-hans).

The APIs (/open311/, /api/) are the exception: machine clients have no
session or switch, so there the standard Accept-Language header chooses,
and LANGUAGE_CODE stands when it is absent or names no language we have.
Django's process_response sets Content-Language and Vary: Accept-Language.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIXES = ("/open311/", "/api/")


def is_api(request):
    return request.path_info.startswith(API_PREFIXES)


def request_language(request):
    """The language of this request's responses."""
    if is_api(request):
        return accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def accepted_language(header):
    """The client's most preferred language we support (en-US → en, zh-CN → zh-hans)."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
