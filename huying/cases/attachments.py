"""Photos of a case: checked, stored, shown to whom, and added later.

One module for every way a photo reaches a case (the console's reply, the
citizen's request, the REST API's upload), so they all follow the same rules:

- A photo is accepted when its bytes decode as JPEG, PNG or WebP (whatever
  the client claims), it is no larger than UPLOAD_MAX_BYTES and not absurdly
  many pixels. It is then re-encoded: that drops EXIF data (a phone photo
  carries the place it was taken and the camera's owner) and anything
  smuggled after the image data.
- Files are stored under names we choose, outside the web root; a file is
  never left on disk without its row, nor a row without its file.
- Staff who may see the case (`scope.visible_cases`) may see its photos; a
  citizen only those of their own request and of the reply.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from huying.cases import ledger
from huying.cases.errors import BadInput, NotAllowed
from huying.cases.models import OPEN_STATUSES, Attachment
from huying.cases.scope import can_see
from huying.cases.steps.common import CENTRE_ROLES, actor_and_time, centre_unit, require_status
from huying.org import people
from huying.org.models import Membership as M

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
FORMATS_BY_TYPE = {content_type: extension for content_type, extension in FORMATS.values()}
MAX_PHOTOS = 6
MAX_PIXELS = 40_000_000
MAX_NOTE = 2000
# Room in a request body for the form's other fields and the multipart framing.
BODY_MARGIN = 1024 * 1024
# Events whose photos a citizen tracking their case may see: their own and the reply.
PUBLIC_EVENTS = ("intake", "reply")
# The event of a photo added on its own, with an optional note as its reason.
ATTACH = "attach"


class TooLarge(BadInput):
    """A photo, or the request carrying it, is over the size limit."""

    status = 413


@dataclass
class Photo:
    name: str
    content_type: str
    data: bytes


def body_limit(photos=MAX_PHOTOS):
    """The largest request body that may carry `photos` photos."""
    return photos * settings.UPLOAD_MAX_BYTES + BODY_MARGIN


def too_large_message(name):
    return _("%(name)s is too large: at most %(mb)s MB.") % {"name": name, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}


# -- checking --------------------------------------------------------------------------------

def check(files):
    """The uploaded photos, checked and re-encoded; BadInput names the first bad one."""
    files = [f for f in files if f]
    if len(files) > MAX_PHOTOS:
        raise BadInput(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS})
    return [check_one(f) for f in files]


def check_one(upload):
    name = (upload.name or "photo")[-100:]
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise TooLarge(too_large_message(name))
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


# -- storing ---------------------------------------------------------------------------------

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
        remove_files(saved)
        raise
    return saved


def remove_files(attachments):
    for attachment in attachments:
        attachment.file.delete(save=False)


# -- who sees them -------------------------------------------------------------------------

def may_view(user, attachment, *, tracked=False):
    """Staff who may see the case see its photos; a citizen (their own case,
    or one whose number and phone they proved: `tracked`) only the photos of
    their request and of the reply."""
    case = attachment.case
    own = case.citizen_user_id is not None and case.citizen_user_id == getattr(user, "pk", None)
    if not own and can_see(user, case):
        return True
    return (own or tracked) and attachment.event is not None and attachment.event.action in PUBLIC_EVENTS


def visible_to(user, case):
    """The case's photos this person may see, oldest first."""
    rows = case.attachments.select_related("case", "event").order_by("uploaded_at", "pk")
    return [a for a in rows if may_view(user, a)]


# -- adding a photo on its own ---------------------------------------------------------------

def attaching_unit(actor, case):
    """The unit in whose name the person adds a photo: the command centre,
    or a unit whose handler works on the case (its lead, a co-unit, or the
    street, community or grid where it happened). Others are refused."""
    user = actor.user
    if user is not None and can_see(user, case):
        unit = centre_unit(user, *CENTRE_ROLES) or handling_unit(user, case)
        if unit is not None:
            return unit
    raise NotAllowed(_("Only the command centre or a unit working on case %(number)s can add photos to it.") % {"number": case.number})


def handling_unit(user, case):
    ground = [u for u in (case.lead_unit, *case.co_units.all(), case.street, case.community, case.grid) if u is not None]
    for m in people.memberships(user):
        if m.role == M.HANDLER and any(m.scope.contains(u) for u in ground):
            return m.unit
    return None


def clean_note(note):
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise BadInput(_("The note is too long: at most %(n)s characters.") % {"n": MAX_NOTE})
    return note


def require_attachable(case, by):
    """Refuses (409, 403) unless this person may add a photo to this case
    now; the unit they act for otherwise. Checked before the photo is read."""
    actor, _now = actor_and_time(by, None)
    require_status(case, *OPEN_STATUSES)
    return attaching_unit(actor, case)


def attach(case, by, photo, *, note="", now=None):
    """Add one checked photo to an open case, with an optional note: an
    `attach` event in the case's history, and the file. All or nothing: if
    anything fails, neither the event, the row nor the file remains."""
    actor, now = actor_and_time(by, now)
    unit = require_attachable(case, actor)
    note = clean_note(note)
    saved = []
    try:
        with transaction.atomic():
            event = ledger.record(case, actor, ATTACH, {}, now=now, reason=note, unit=unit)
            saved = store(case, event, [photo])
    except Exception:
        # Rows are rolled back with the transaction (also when the commit
        # itself fails); the files are not, so they go here.
        remove_files(saved)
        raise
    return saved[0]
