"""Photos: checked by what they really are and by size, stored outside the
web root under names we choose, served only to people who may see the case.

A photo is accepted when its bytes decode as JPEG, PNG or WebP (whatever the
browser claims), it is no larger than UPLOAD_MAX_BYTES and not absurdly many
pixels. It is then re-encoded: that drops EXIF data (a phone photo carries the
place it was taken and the camera's owner) and anything smuggled after the
image data.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from huying.cases.errors import BadInput
from huying.cases.models import Attachment
from huying.cases.scope import can_see

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_PHOTOS = 6
MAX_PIXELS = 40_000_000
# Events whose photos a citizen tracking their case may see: their own and the reply.
PUBLIC_EVENTS = ("intake", "reply")


@dataclass
class Photo:
    name: str
    content_type: str
    data: bytes


def body_too_big(request):
    """True when a request is larger than the photos it may carry (checked
    before Django reads the body, so a huge upload is refused unread)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_PHOTOS * settings.UPLOAD_MAX_BYTES + 1024 * 1024


def check(files):
    """The uploaded photos, checked and re-encoded; BadInput names the first bad one."""
    files = [f for f in files if f]
    if len(files) > MAX_PHOTOS:
        raise BadInput(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS})
    return [check_one(f) for f in files]


def check_one(upload):
    name = (upload.name or "photo")[-100:]
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise BadInput(_("%(name)s is too large: at most %(mb)s MB.") % {"name": name, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
    if not (upload.content_type or "").startswith("image/"):
        raise BadInput(_("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name})
    raw = upload.read()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            pixels = probe.width * probe.height
            probe.verify()
        if kind not in FORMATS:
            raise BadInput(_("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name})
        if pixels > MAX_PIXELS:
            raise BadInput(_("%(name)s has too many pixels.") % {"name": name})
        data = reencode(raw, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise BadInput(_("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}) from None
    return Photo(name=name, content_type=FORMATS[kind][0], data=data)


def reencode(raw, kind):
    with Image.open(io.BytesIO(raw)) as image:
        image = ImageOps.exif_transpose(image)
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 88} if kind in ("JPEG", "WEBP") else {"optimize": True}
        image.save(out, format=kind, **options)
    return out.getvalue()


def store(case, event, photos):
    """Save checked photos for a case; call inside the step's transaction."""
    saved = []
    try:
        for photo in photos:
            extension = FORMATS_BY_TYPE[photo.content_type]
            attachment = Attachment(case=case, event=event, name=photo.name, content_type=photo.content_type,
                                    size=len(photo.data))
            attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(photo.data), save=False)
            saved.append(attachment)
            attachment.save()
    except Exception:
        # The transaction will roll the rows back; the files must go too.
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved


FORMATS_BY_TYPE = {content_type: extension for content_type, extension in FORMATS.values()}


def may_view(request, attachment):
    """Staff who may see the case; a citizen their own case's photos and the reply's."""
    if can_see(request.user, attachment.case) and not is_citizen_view(request, attachment):
        return True
    from huying.public.access import may_track

    return may_track(request, attachment.case) and attachment.event is not None and attachment.event.action in PUBLIC_EVENTS


def is_citizen_view(request, attachment):
    """A logged-in citizen sees their own case through the public pages' rules."""
    return attachment.case.citizen_user_id is not None and attachment.case.citizen_user_id == request.user.pk


def serve(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("case", "event"), pk=pk)
    if not may_view(request, attachment):
        raise Http404
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
