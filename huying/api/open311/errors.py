"""Open311 errors: a list of `{code, description}` with the spec's HTTP codes.

The spec: 404 for resources that do not exist, 403 for a wrong or missing
api_key, and 400 for any other error. The code in the body may be more
specific than the HTTP status (413 for an oversize body, 415 for a wrong
content type, or a refused step's own status).
"""

import json

from django.http import HttpResponse

from huying.api.open311.renderers import to_xml


class Open311Error(Exception):
    def __init__(self, status, description, code=None):
        super().__init__(description)
        self.status = status
        self.errors = [(code or status, description)]


class NotFound(Open311Error):
    def __init__(self, description):
        super().__init__(404, description)


class BadRequest(Open311Error):
    def __init__(self, description, code=400):
        super().__init__(400, description, code)


class BadKey(Open311Error):
    def __init__(self, description):
        super().__init__(403, description)


def error_list(errors):
    return [{"code": code, "description": str(description)} for code, description in errors]


def error_response(path, errors, status):
    """The error document in the format the URL asks for (XML by default)."""
    data = error_list(errors)
    if path.endswith(".json"):
        body, content_type = json.dumps(data, ensure_ascii=False), "application/json; charset=utf-8"
    else:
        body, content_type = to_xml("errors", data), "text/xml; charset=utf-8"
    return HttpResponse(body.encode("utf-8"), status=status, content_type=content_type)
