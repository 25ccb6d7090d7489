"""A post's photo: checked and re-encoded without metadata (``galeri.core.images``), stored with
its thumbnails, and drawn once more as the 1200×630 picture of a shared link.

Files are written before the row; whoever writes them removes them when the row is not saved, so
a refused upload leaves nothing behind (``store`` returns the names, ``discard`` removes them).
"""

import io
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from galeri.core.images import ImageRejected, clean_image
from galeri.news.errors import NewsError

FOLDER = "berita"
SHARE_SIZE = (1200, 630)


@dataclass
class StoredPhoto:
    name: str
    width: int
    height: int
    thumbnails: dict
    share_image: str
    written: list = field(default_factory=list)


def _save(data: bytes, suffix: str) -> str:
    name = f"{FOLDER}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{suffix}"
    return default_storage.save(name, ContentFile(data))


def share_picture(webp: bytes) -> bytes:
    """The photo cropped to 1200×630 (centre), as a JPEG: what WhatsApp and Facebook show."""
    with Image.open(io.BytesIO(webp)) as source:
        picture = ImageOps.fit(source.convert("RGB"), SHARE_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


def store(upload) -> StoredPhoto:
    """Check and store an upload; raises NewsError (nothing written) on a file that is not a photo."""
    try:
        cleaned = clean_image(upload)
    except ImageRejected as exc:
        raise NewsError(str(exc), code="bad_image")
    written = []
    try:
        full = _save(cleaned.full, "webp")
        written.append(full)
        thumbnails = {}
        for width, data in cleaned.thumbnails.items():
            thumbnails[str(width)] = _save(data, "webp")
            written.append(thumbnails[str(width)])
        share = _save(share_picture(cleaned.full), "jpg")
        written.append(share)
    except Exception:
        discard(written)
        raise
    return StoredPhoto(full, cleaned.width, cleaned.height, thumbnails, share, written)


def discard(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
