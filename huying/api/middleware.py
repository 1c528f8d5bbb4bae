"""A body-size limit for the API paths, checked before anything reads the body.

Open311 clients get the spec's error document (HTTP 400, code 413 in the
body: the spec asks for 400 for any error that is not a missing resource or
a bad key); REST clients get HTTP 413 with a JSON error. It runs before the
language middleware, so it picks the request's language itself.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from huying.web.middleware import request_language

OPEN311_PREFIX = "/open311/"
REST_PREFIX = "/api/"
# A photo upload has a limit of its own (one photo, UPLOAD_MAX_BYTES + 1 MiB),
# which its view checks before reading the body (huying/api/rest/attachments.py).
PHOTO_UPLOAD = re.compile(r"^/api/v1/cases/[^/]+/attachments/$")


class BodySizeLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith((OPEN311_PREFIX, REST_PREFIX)) and not PHOTO_UPLOAD.match(path) and too_big(request):
            language = request_language(request)
            with translation.override(language):
                response = refusal(path)
            response["Content-Language"] = language
            patch_vary_headers(response, ("Accept-Language",))
            return response
        return self.get_response(request)


def refusal(path):
    limit = settings.API_MAX_BODY_BYTES
    message = _("The request body is larger than %(limit)s bytes.") % {"limit": limit}
    if path.startswith(OPEN311_PREFIX):
        from huying.api.open311.errors import error_response

        return error_response(path, [(413, message)], status=400)
    from django.http import JsonResponse

    return JsonResponse({"detail": message, "code": "body_too_large"}, status=413)


def too_big(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.API_MAX_BODY_BYTES
