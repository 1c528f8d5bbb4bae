"""Errors of the REST API as JSON: `{"detail": message, "code": ...}`.

A refused step (`huying.cases.errors.Refused`) keeps its own status: 400
bad input, 403 not allowed, 409 wrong state or someone else was first, 413
a photo too large.
"""

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from huying.cases.attachments import TooLarge
from huying.cases.errors import Conflict, NotAllowed, Refused, WrongState

CODES = {NotAllowed: "not_allowed", WrongState: "wrong_state", Conflict: "conflict", TooLarge: "too_large"}


def refused_response(error):
    code = next((name for cls, name in CODES.items() if isinstance(error, cls)), "bad_input")
    return Response({"detail": str(error), "code": code}, status=error.status)


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        return refused_response(exc)
    response = drf_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(response.data["detail"], "code", "error"))
    elif response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = {"detail": str(exceptions.ValidationError.default_detail), "code": "invalid", "fields": response.data}
    return response
