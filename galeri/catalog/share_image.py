"""The picture a shared product link shows (WhatsApp, Facebook, X): 1200×630, made by us.

Only product fields go in — the main photo, the name, the price and the selling unit — never a
person: ``render_share_image`` takes exactly those four values and nothing else, so no name or face
of a Warga Binaan (or the workshop credit line, free text typed by staff) can reach the image.

It is drawn once and kept as a file in the media storage, named after the product, its last change
(``updated_at``) and a digest of what is drawn; a change to any of them gives a new name, and the
old file of that product is removed when the new one is written.
"""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, ImageOps

from galeri.core.money import format_rupiah

SIZE = (1200, 630)
FOLDER = "bagikan"
SEA = (11, 88, 120)
INK = (29, 35, 41)
MUTED = (85, 96, 107)
WASH = (230, 240, 244)
PAD = 48


def _font(size):
    return ImageFont.load_default(size=size)


def _wrap(draw, text, font, width, max_lines):
    """Words in lines no wider than ``width``; the last line ends in … when the text is longer."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return lines


def render_share_image(*, name: str, price: str, unit: str, photo: bytes | None) -> bytes:
    """A 1200×630 JPEG: the photo on the left, the name, price and unit on the right."""
    canvas = Image.new("RGB", SIZE, (255, 255, 255))
    side = SIZE[1]
    if photo:
        with Image.open(io.BytesIO(photo)) as source:
            picture = ImageOps.fit(source.convert("RGB"), (side, side), Image.Resampling.LANCZOS)
        canvas.paste(picture, (0, 0))
    else:
        ImageDraw.Draw(canvas).rectangle([0, 0, side, side], fill=WASH)
    draw = ImageDraw.Draw(canvas)
    left = side + PAD
    width = SIZE[0] - left - PAD
    y = PAD + 10
    title = _font(50)
    for line in _wrap(draw, name, title, width, 4):
        draw.text((left, y), line, font=title, fill=INK)
        y += 62
    y += 24
    draw.text((left, y), price, font=_font(60), fill=SEA)
    y += 90
    for line in _wrap(draw, unit, _font(34), width, 2):
        draw.text((left, y), line, font=_font(34), fill=MUTED)
        y += 44
    draw.rectangle([side, SIZE[1] - 18, SIZE[0], SIZE[1]], fill=SEA)
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


def _fields(product):
    """The four product fields the image is drawn from (and nothing else)."""
    photos = getattr(product, "prefetched_photos", None)
    main = photos[0] if photos is not None and photos else (product.photos.first() if photos is None else None)
    return {
        "name": product.name,
        "price": format_rupiah(product.price),
        "unit": product.unit.short_name,
        "photo": main,
    }


def share_image_name(product) -> str:
    """Where the image of the product as it is now lives (no query when photos are prefetched)."""
    fields = _fields(product)
    photo = fields["photo"]
    digest = hashlib.sha256(
        "\n".join([fields["name"], fields["price"], fields["unit"], photo.image.name if photo else ""]).encode()
    ).hexdigest()[:10]
    stamp = int(product.updated_at.timestamp()) if product.updated_at else 0
    return f"{FOLDER}/{product.pk}-{stamp}-{digest}.jpg"


def _photo_bytes(photo):
    if photo is None:
        return None
    path = photo.thumbnails.get("640") or photo.thumbnails.get("960") or photo.image.name
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def ensure_share_image(product) -> str:
    """The stored image's name, drawn now if this version of the product has none yet."""
    name = share_image_name(product)
    if default_storage.exists(name):
        return name
    fields = _fields(product)
    data = render_share_image(
        name=fields["name"], price=fields["price"], unit=fields["unit"], photo=_photo_bytes(fields["photo"])
    )
    try:
        _, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, OSError):
        files = []
    for old in files:
        if old.startswith(f"{product.pk}-") and f"{FOLDER}/{old}" != name:
            default_storage.delete(f"{FOLDER}/{old}")
    saved = default_storage.save(name, ContentFile(data))
    return saved if not default_storage.exists(name) else name
