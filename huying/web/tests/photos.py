"""Small real images for tests, made with Pillow."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(kind="JPEG", size=(32, 24), color=(200, 40, 40), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(out, format=kind, **options)
    return out.getvalue()


def photo(name="photo.jpg", kind="JPEG", content_type="image/jpeg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(kind, **kwargs), content_type=content_type)


def gps_exif():
    """EXIF with a GPS position, as a phone writes it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (23.0, 7.0, 30.0), 3: "E", 4: (113.0, 16.0, 10.0)}  # GPSInfo
    return exif
