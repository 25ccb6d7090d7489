"""Demo services per UPT: haircuts, tailoring, light carpentry, a salon at the women's prison and a
car wash at Lapas Ambon's SAE. Called by the console ``demo`` command after the production demo
(the workshops must exist). Safe to run again: a service whose slug exists is left as it is."""

import datetime

from django.db import transaction

from galeri.bookings import services
from galeri.bookings.entries import link_products
from galeri.bookings.models import Place, Service
from galeri.catalog.models import Product
from galeri.production.models import Workshop, WorkshopKind

T = datetime.time
WEEKDAYS_MORNING = [services.Hours(d, T(8, 0), T(12, 0)) for d in range(5)]
WEEKDAYS_LONG = [services.Hours(d, T(8, 0), T(14, 0)) for d in range(5)] + [services.Hours(5, T(8, 0), T(12, 0))]

# (unit code, slug, name, workshop kind, price_min, price_max, duration, place, place_other, slot, capacity, hours, description)
# Prices hold the prices of the service's catalog entries (CATALOG_ENTRIES) within their range.
SERVICES = [
    (
        "LPA",
        "cukur-rambut-lapas-ambon",
        "Cukur rambut",
        WorkshopKind.BARBER,
        15_000,
        None,
        30,
        Place.GALLERY,
        "",
        30,
        2,
        WEEKDAYS_LONG,
        "Cukur dan rapikan rambut pria oleh peserta pelatihan pangkas rambut. Alat dibersihkan setiap pelanggan.",
    ),
    (
        "LPA",
        "permak-jahit-lapas-ambon",
        "Menjahit dan permak pakaian",
        WorkshopKind.SEWING,
        15_000,
        75_000,
        60,
        Place.GALLERY,
        "",
        60,
        2,
        WEEKDAYS_MORNING,
        "Potong celana, ganti ritsleting, kecilkan baju, jahit seragam. Bawa pakaiannya saat datang; tulis di catatan apa yang perlu dikerjakan.",
    ),
    (
        "LPA",
        "pertukangan-ringan-lapas-ambon",
        "Pertukangan ringan",
        WorkshopKind.WOOD,
        50_000,
        300_000,
        120,
        Place.GALLERY,
        "",
        120,
        1,
        WEEKDAYS_MORNING,
        "Perbaikan kursi, meja dan lemari kecil, pernis ulang. Barang dibawa ke galeri; harga sesuai pekerjaan.",
    ),
    (
        "LPA",
        "cuci-mobil-sae-lapas-ambon",
        "Cuci mobil",
        WorkshopKind.CARWASH,
        35_000,
        50_000,
        45,
        Place.SAE,
        "",
        60,
        2,
        WEEKDAYS_LONG,
        "Cuci mobil di SAE Lapas Ambon, di luar tembok. Rp 35.000 untuk mobil kecil, Rp 50.000 untuk mobil besar.",
    ),
    (
        "LPP",
        "salon-lpp-ambon",
        "Salon: potong dan creambath",
        WorkshopKind.SALON,
        25_000,
        75_000,
        60,
        Place.GALLERY,
        "",
        60,
        2,
        WEEKDAYS_MORNING,
        "Potong rambut wanita, creambath dan tata rambut oleh peserta pelatihan salon Lapas Perempuan Ambon.",
    ),
    (
        "LPP",
        "menjahit-lpp-ambon",
        "Menjahit dan permak",
        WorkshopKind.SEWING,
        20_000,
        150_000,
        60,
        Place.GALLERY,
        "",
        60,
        2,
        WEEKDAYS_MORNING,
        "Jahit baju, kebaya dan seragam, permak pakaian. Tulis ukuran dan keinginan Anda di catatan.",
    ),
    (
        "RTA",
        "cukur-rambut-rutan-ambon",
        "Cukur rambut",
        WorkshopKind.BARBER,
        20_000,
        30_000,
        30,
        Place.GALLERY,
        "",
        30,
        1,
        WEEKDAYS_MORNING,
        "Cukur rambut pria di galeri Rutan Ambon: potong rambut Rp 20.000, dengan keramas dan pijat ringan Rp 30.000.",
    ),
    (
        "RTA",
        "permak-rutan-ambon",
        "Permak pakaian",
        WorkshopKind.SEWING,
        10_000,
        50_000,
        60,
        Place.GALLERY,
        "",
        60,
        1,
        WEEKDAYS_MORNING,
        "Potong celana, pasang kancing dan ritsleting, permak ringan.",
    ),
]


# service slug -> SKUs of its catalog entries (galeri/catalog/demo/data.py): the service-category
# products whose pages lead to the booking. Services without an entry are on /jasa/ only; service
# products without a service (made to measure, priced per job) are ordered over WhatsApp.
CATALOG_ENTRIES = {
    "pertukangan-ringan-lapas-ambon": ["LPA-TKG-001"],  # Jasa Perbaikan Mebel Kayu
    "cuci-mobil-sae-lapas-ambon": ["LPA-CUC-001"],  # Cuci Mobil Lengkap
    "salon-lpp-ambon": ["LPP-CKR-001", "LPP-CKR-002"],  # Potong dan Tata Rambut Wanita, Creambath
    "menjahit-lpp-ambon": ["LPP-JHT-002"],  # Permak dan Vermak Pakaian
    "cukur-rambut-rutan-ambon": ["RTA-CKR-001", "RTA-CKR-002"],  # Potong Rambut Pria, Paket Potong dan Keramas
}


def link_demo_entries():
    """Link each demo service to its catalog entries (again: safe; missing products are skipped)."""
    skus = [sku for group in CATALOG_ENTRIES.values() for sku in group]
    products = {p.sku: p for p in Product.objects.filter(sku__in=skus).select_related("category")}
    for service in Service.objects.filter(slug__in=CATALOG_ENTRIES):
        found = [products[sku] for sku in CATALOG_ENTRIES[service.slug] if sku in products]
        if found:
            link_products(service, found)


@transaction.atomic
def seed_demo_services(units_by_code):
    made = 0
    for code, slug, name, kind, low, high, duration, place, other, slot, capacity, hours, description in SERVICES:
        unit = units_by_code.get(code)
        if unit is None or Service.objects.filter(slug=slug).exists():
            continue
        workshop = Workshop.objects.filter(unit=unit, kind=kind).order_by("pk").first()
        if workshop is None:
            continue
        services.save_service(
            unit=unit,
            workshop=workshop,
            name=name,
            slug=slug,
            description=description,
            price_min=low,
            price_max=high,
            duration_minutes=duration,
            place=place,
            place_other=other,
            slot_minutes=slot,
            capacity=capacity,
            hours=hours,
        )
        made += 1
    link_demo_entries()
    return made
