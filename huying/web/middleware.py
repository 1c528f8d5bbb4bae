"""Simplified Chinese unless the person picked English with the switch.

Django's own LocaleMiddleware would follow the browser's Accept-Language, so
an operator on an English-language browser would get an English console
without asking for it. Here only the language cookie set by the switch
counts; otherwise the deployment's LANGUAGE_CODE (zh-hans).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
