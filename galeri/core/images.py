"""Checking and re-encoding uploaded images.

Every upload is decoded by Pillow within bounds (bytes, pixels), then drawn
again into a fresh image and saved without any metadata: EXIF GPS taken inside
a prison is a security leak, so nothing of the original file survives but its
pixels.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


class ImageRejected(ValueError):
    """An upload that is not a usable image; the message is for the user."""


ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
THUMBNAIL_WIDTHS = (320, 640, 960)


@dataclass
class CleanImage:
    full: bytes  # WebP, re-encoded, no metadata
    width: int
    height: int
    thumbnails: dict  # width -> WebP bytes


def _megabytes(n: int) -> str:
    """1.5 MB written the Indonesian way: '1,5'; never rounds a real limit down to 0."""
    value = n / 1_048_576
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0").replace(".", ",")


def _megapixels(n: int) -> str:
    value = n / 1_000_000
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0").replace(".", ",")


def _read_bounded(upload) -> bytes:
    max_bytes = settings.IMAGE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ImageRejected(
            _("Berkas terlalu besar (%(size)s MB); paling besar %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(max_bytes)}
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(_("Berkas terlalu besar; paling besar %(max)s MB.") % {"max": _megabytes(max_bytes)})
    if not data:
        raise ImageRejected(_("Berkas kosong."))
    return data


def open_checked(data: bytes) -> Image.Image:
    """Decode with bounds; raise ImageRejected with a clear message on anything odd."""
    max_pixels = settings.IMAGE_MAX_PIXELS
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in ALLOWED_FORMATS:
            raise ImageRejected(_("Jenis gambar tidak didukung; gunakan JPEG, PNG atau WebP."))
        width, height = probe.size
        if width * height > max_pixels:
            raise ImageRejected(
                _("Gambar terlalu besar (%(w)s×%(h)s piksel); paling banyak %(max)s juta piksel.")
                % {"w": width, "h": height, "max": _megapixels(max_pixels)}
            )
        if width < 1 or height < 1:
            raise ImageRejected(_("Gambar tidak punya ukuran."))
        probe.verify()  # catches truncated and corrupted files
        image = Image.open(io.BytesIO(data))
        image.load()
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected(_("Gambar ditolak: ukurannya tidak wajar (kemungkinan bom dekompresi)."))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
        raise ImageRejected(_("Berkas ini bukan gambar yang utuh atau rusak. Unggah foto JPEG, PNG atau WebP."))
    return image


def _to_webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=quality, method=4)
    return out.getvalue()


def clean_image(upload) -> CleanImage:
    data = _read_bounded(upload)
    image = open_checked(data)
    # Apply the camera's rotation, then drop every bit of metadata by copying
    # only the pixels into a new image.
    image = ImageOps.exif_transpose(image)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P") and "transparency" in image.info or image.mode in ("RGBA", "LA") else "RGB"
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    # Cap the stored original at 1600 px: enough for any phone screen.
    clean.thumbnail((1600, 1600), Image.Resampling.LANCZOS)
    thumbnails = {}
    for width in THUMBNAIL_WIDTHS:
        if width >= clean.width and thumbnails:
            break
        thumb = clean.copy()
        target = min(width, clean.width)
        thumb.thumbnail((target, target * 10), Image.Resampling.LANCZOS)
        thumbnails[target] = _to_webp(thumb, 78)
    return CleanImage(full=_to_webp(clean, 85), width=clean.width, height=clean.height, thumbnails=thumbnails)
