"""Photos that come with a progress report.

They are checked like the console's case photos (huying/web/uploads.py):
decoded as JPEG, PNG or WebP whatever the browser claims, size-limited, and
re-encoded so a phone's EXIF data (where it was taken, whose camera) never
reaches the server's disk. Stored under names we choose, served only to
people who may see the order (views.photo).
"""

import uuid

from django.core.files.base import ContentFile

from huying.orders.models import ProgressPhoto
from huying.web import uploads


def check(files):
    """The checked photos; BadInput names the first bad one. Nothing is written."""
    return uploads.check(list(files or []))


def store(progress, photos):
    """Save checked photos; call inside the step's transaction."""
    saved = []
    try:
        for photo in photos:
            row = ProgressPhoto(progress=progress, name=photo.name, content_type=photo.content_type, size=len(photo.data))
            row.file.save(f"{uuid.uuid4().hex}.{uploads.FORMATS_BY_TYPE[photo.content_type]}", ContentFile(photo.data), save=False)
            saved.append(row)
            row.save()
    except Exception:
        # The transaction rolls the rows back; the files must go too.
        for row in saved:
            row.file.delete(save=False)
        raise
    return saved
