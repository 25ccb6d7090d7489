"""Demo events: a bazaar at Lapangan Merdeka Ambon and the Hari Bhakti Pemasyarakatan exhibition
ahead, one past exhibition with a photo of a stand (drawn here: products, no people), and Lapas
Ambon's goods moved to the bazaar's stock location. Dates follow today's date. Safe to run again."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from galeri.core import clock
from galeri.inventory.models import StockLevel, StockLocation
from galeri.units.models import Unit

from . import services
from .models import Event, EventKind

ORGANISER = "admin.kanwil"


def _next_hbp(today):
    """The next 27 April (Hari Bhakti Pemasyarakatan) at least a week away."""
    day = datetime.date(today.year, 4, 27)
    return day if day - today >= datetime.timedelta(days=7) else datetime.date(today.year + 1, 4, 27)


def stand_photo() -> bytes:
    """A stand with products on shelves, drawn with Pillow: no person in it."""
    image = Image.new("RGB", (1200, 800), (236, 228, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 120, 1120, 180), fill=(11, 88, 120))  # banner
    draw.rectangle((120, 260, 1080, 280), fill=(122, 74, 42))  # shelves
    draw.rectangle((120, 470, 1080, 490), fill=(122, 74, 42))
    draw.rectangle((80, 640, 1120, 760), fill=(150, 98, 60))  # table
    colours = [(196, 140, 60), (170, 60, 50), (70, 120, 80), (210, 180, 120), (90, 80, 140)]
    for row, top in enumerate((190, 400)):
        for i in range(8):
            x = 150 + i * 115
            draw.rounded_rectangle((x, top, x + 80, top + 70), radius=12, fill=colours[(i + row) % len(colours)])
    for i in range(6):
        x = 140 + i * 160
        draw.ellipse((x, 580, x + 110, 650), fill=colours[i % len(colours)])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def _event(user, organiser, units, **data):
    existing = Event.objects.filter(name=data["name"], starts_on=data["starts_on"]).first()
    return existing or services.create_event(user=user, organiser=organiser, units=units, **data)


def seed_demo_events():
    """Returns the number of events made (0 when the demo units or users are missing)."""
    user = User.objects.filter(username=ORGANISER).first()
    kanwil = Unit.objects.filter(code="KWMAL").first()
    upts = {u.code: u for u in Unit.objects.upts().filter(code__in=["LPA", "LPP", "RTA"])}
    if user is None or kanwil is None or len(upts) < 3:
        return 0
    before = Event.objects.count()
    today = clock.today()
    bazaar = _event(
        user,
        kanwil,
        [upts["LPA"], upts["LPP"], upts["RTA"]],
        kind=EventKind.BAZAAR,
        name="Bazar Karya Warga Binaan di Lapangan Merdeka",
        place_name="Lapangan Merdeka Ambon",
        address="Jl. Pattimura, Kota Ambon, Maluku",
        latitude=Decimal("-3.695600"),
        longitude=Decimal("128.181400"),
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
        opens_at=datetime.time(9, 0),
        closes_at=datetime.time(21, 0),
        description="Anyaman, ukiran kayu, kue kering dan kain tenun karya Warga Binaan dari tiga UPT di Ambon.",
        is_published=True,
    )
    hbp = _next_hbp(today)
    _event(
        user,
        kanwil,
        [upts["LPA"], upts["LPP"]],
        kind=EventKind.EXHIBITION,
        name=f"Pameran Hari Bhakti Pemasyarakatan {hbp.year}",
        place_name="Kantor Wilayah Ditjenpas Maluku",
        address="Jl. Sultan Hairun No. 4, Kota Ambon",
        latitude=None,
        longitude=None,
        starts_on=hbp - datetime.timedelta(days=2),
        ends_on=hbp,
        opens_at=datetime.time(8, 0),
        closes_at=datetime.time(16, 0),
        description="Pameran hasil pembinaan kemandirian dalam rangka Hari Bhakti Pemasyarakatan.",
        is_published=True,
    )
    past = _event(
        user,
        kanwil,
        [upts["LPA"]],
        kind=EventKind.EXHIBITION,
        name="Pameran UMKM Kota Ambon",
        place_name="Ambon City Center",
        address="Jl. Sultan Hasanuddin, Kota Ambon",
        latitude=None,
        longitude=None,
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=38),
        opens_at=datetime.time(10, 0),
        closes_at=datetime.time(22, 0),
        description="Stan Galeri Karya bersama UMKM Kota Ambon.",
        is_published=True,
    )
    if not past.photos.exists():
        services.add_photo(
            past,
            SimpleUploadedFile("stan.jpg", stand_photo(), content_type="image/jpeg"),
            user=user,
            unit=upts["LPA"],
            alt_text="Stan Galeri Karya: rak berisi anyaman, kue kering dan ukiran kayu",
            confirmed=True,
        )
    _bring_goods(bazaar, upts["LPA"], user)
    return Event.objects.count() - before


def _bring_goods(event, unit, user, kinds=3, pieces=3):
    participation = event.participations.get(unit=unit)
    if StockLevel.objects.filter(location=participation.location).exists():
        return
    gallery = StockLocation.objects.filter(unit=unit, is_active=True, kind="galeri").first()
    if gallery is None:
        return
    levels = StockLevel.objects.filter(location=gallery, quantity__gte=pieces + 2).select_related("product")
    for level in levels.order_by("product_id")[:kinds]:
        services.bring(participation, level.product, gallery, pieces, user=user, note="Demo: dibawa ke bazar")
