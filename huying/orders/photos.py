"""Photos that come with a progress report: checked whole before anything
is written, and served only to people who may see the order."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput

MAX_PHOTOS = 9
# The first bytes of each accepted format; the name and the browser's
# declared type are not trusted.
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]


@dataclass
class Upload:
    file: ContentFile
    name: str
    content_type: str
    size: int


def sniff(head):
    for signature, content_type, ext in SIGNATURES:
        if head.startswith(signature):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check(files):
    files = [f for f in files or [] if f]
    if len(files) > MAX_PHOTOS:
        raise BadInput(_("At most %(n)s photos per report.") % {"n": MAX_PHOTOS})
    uploads = []
    for f in files:
        name = (getattr(f, "name", "") or "photo").rsplit("/", 1)[-1][:200]
        if f.size > settings.UPLOAD_MAX_BYTES:
            raise BadInput(_("%(name)s is larger than %(max)s.") % {"name": name, "max": filesizeformat(settings.UPLOAD_MAX_BYTES)})
        data = f.read()
        kind = sniff(data[:16])
        if kind is None:
            raise BadInput(_("%(name)s is not a photo (JPEG, PNG, GIF or WebP).") % {"name": name})
        content_type, ext = kind
        stem = name.rsplit(".", 1)[0] or "photo"
        uploads.append(Upload(ContentFile(data, name=f"{stem}.{ext}"), name, content_type, len(data)))
    return uploads
