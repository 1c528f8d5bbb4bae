"""Photos on the web: a request body too large for its photos is refused
unread, and `/files/<id>/` serves a photo only to people who may see it.

Checking, storing and who sees what live in `huying.cases.attachments`,
shared with the REST API; the names below are re-exported for the web's
forms (console reply, citizen request, orders).
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from huying.cases import attachments
from huying.cases.attachments import FORMATS, FORMATS_BY_TYPE, MAX_PHOTOS, MAX_PIXELS, PUBLIC_EVENTS, Photo, check, store
from huying.cases.models import Attachment

__all__ = ["FORMATS", "FORMATS_BY_TYPE", "MAX_PHOTOS", "MAX_PIXELS", "PUBLIC_EVENTS", "Photo", "body_too_big", "check",
           "may_view", "serve", "store", "send"]


def body_too_big(request, photos=MAX_PHOTOS):
    """True when a request is larger than the photos it may carry (checked
    before Django reads the body, so a huge upload is refused unread)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > attachments.body_limit(photos)


def may_view(request, attachment):
    """Staff who may see the case; a citizen their own case's photos and the
    reply's, also when they proved the case's number and phone in this browser."""
    from huying.public.access import may_track

    return attachments.may_view(request.user, attachment, tracked=may_track(request, attachment.case))


def serve(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("case", "event"), pk=pk)
    if not may_view(request, attachment):
        raise Http404
    return send(attachment)


def send(attachment):
    """The photo's bytes, so that no browser runs or sniffs them as anything else."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
