"""Demo production data: workshops per UPT, ~10 pseudonymous participants each (codes and
initials only, no names), one split rule per Ambon unit, training sessions and a few batches
that passed QC into the unit's Galeri as lots.

``seed_demo_production(units_by_code)`` is called by the demo command after the products and
their stock exist. Safe to run again: a unit that already has workshops is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from galeri.catalog.models import CategoryKind, Product
from galeri.core import clock
from galeri.inventory.demo import demo_locations
from galeri.production import services
from galeri.production.models import ShareKind, SplitBase, Workshop, WorkshopKind, WorkshopSetting

WORKSHOPS = [
    ("Bengkel Menjahit", WorkshopKind.SEWING, WorkshopSetting.INSIDE, "Tenaga ahli dari BLK Ambon"),
    ("Bengkel Kayu dan Mebel", WorkshopKind.WOOD, WorkshopSetting.INSIDE, "Mitra pengrajin kayu Passo"),
    ("Anyaman Pandan", WorkshopKind.WEAVING, WorkshopSetting.INSIDE, "Kelompok pengrajin Hila"),
    ("Dapur Kuliner", WorkshopKind.CULINARY, WorkshopSetting.INSIDE, "Dinas Koperasi dan UKM"),
    ("Kebun SAE", WorkshopKind.FARMING, WorkshopSetting.SAE, "Penyuluh Dinas Pertanian"),
    ("Pangkas Rambut", WorkshopKind.BARBER, WorkshopSetting.INSIDE, ""),
    ("Salon", WorkshopKind.SALON, WorkshopSetting.INSIDE, ""),
    ("Cuci Kendaraan", WorkshopKind.CARWASH, WorkshopSetting.SAE, ""),
]

# unit code -> (base, shares, legal basis)
RULES = {
    "LPA": (
        SplitBase.PROFIT,
        [(ShareKind.PREMI, 50), (ShareKind.PNBP, 15), (ShareKind.CAPITAL, 35)],
        "Kepmen Kehakiman No. M.01.PK.04.10 Tahun 1990; PP 32/1999 pasal 29",
    ),
    "LPP": (
        SplitBase.REVENUE,
        [(ShareKind.PREMI, 30), (ShareKind.PNBP, 40), (ShareKind.CAPITAL, 30)],
        "Surat Edaran Dirjenpas Tahun 2010 tentang premi narapidana (praktik unit)",
    ),
    "RTA": (
        SplitBase.PROFIT,
        [(ShareKind.PREMI, 40), (ShareKind.PNBP, 20), (ShareKind.CAPITAL, 40)],
        "Keputusan Karutan Ambon tentang pembagian hasil kegiatan kerja (praktik setempat)",
    ),
}

LETTERS = "ABDEFHIJKLMNRSTWY"
RULES_FROM = datetime.date(2024, 1, 1)


def _initials(rng):
    return ".".join(rng.choice(LETTERS) for _i in range(rng.choice((2, 2, 3)))) + "."


@transaction.atomic
def seed_demo_production(units_by_code, seed=7):
    rng = random.Random(seed)
    made = {"workshops": 0, "participants": 0, "batches": 0, "rules": 0}
    today = clock.today()  # WIT, like every other date of the app
    for code, unit in sorted(units_by_code.items()):
        if unit.is_office or Workshop.objects.filter(unit=unit).exists():
            continue
        workshops = {}
        for name, kind, setting, partner in WORKSHOPS:
            workshops[kind] = services.save_workshop(unit=unit, name=name, kind=kind, setting=setting, instructor_partner=partner)
            made["workshops"] += 1
        people = []
        kinds = list(workshops)
        for i in range(10):
            entry = today - datetime.timedelta(days=rng.randint(120, 900))
            people.append(
                services.create_participant(unit, initials=_initials(rng), workshop=workshops[kinds[i % 4]], entry_date=entry)
            )
        for participant in people[:6]:
            services.set_credit_consent(participant, consent=True, on=today - datetime.timedelta(days=30))
        made["participants"] += len(people)
        if code in RULES:
            base, shares, basis = RULES[code]
            services.create_split_rule(
                unit,
                valid_from=RULES_FROM,
                legal_basis=basis,
                base=base,
                shares=[services.ShareInput(kind, "", Decimal(p)) for kind, p in shares],
            )
            made["rules"] += 1
        for kind, topic in (
            (WorkshopKind.WEAVING, "Teknik anyaman dasar"),
            (WorkshopKind.SEWING, "Menjahit pola dasar"),
            (WorkshopKind.CULINARY, "Higiene dan keamanan pangan (P-IRT)"),
        ):
            services.create_training_session(
                unit,
                skill=kind,
                topic=topic,
                held_on=today - datetime.timedelta(days=rng.randint(20, 200)),
                hours=Decimal(rng.choice((4, 6, 8))),
                participants=rng.sample(people, 6),
                workshop=workshops[kind],
            )
        gallery, _warehouse = demo_locations(unit)
        products = list(
            Product.objects.filter(unit=unit)
            .exclude(category__kind=CategoryKind.SERVICE)
            .exclude(sku__startswith="SYN-")
            .select_related("category", "unit")
            .order_by("id")[:3]
        )
        for product in products:
            workshop = workshops[WorkshopKind.WEAVING]
            crew = rng.sample(people, 3)
            quantity = rng.randint(6, 12)
            batch = services.create_batch(
                workshop,
                product,
                quantity_made=quantity,
                started_on=today - datetime.timedelta(days=rng.randint(10, 60)),
                participants=[(p, Decimal(rng.choice((6, 8, 10, 12)))) for p in crew],
                materials=[
                    services.MaterialLine("Bahan utama", Decimal(quantity), max(1000, product.price // 4), "buah"),
                    services.MaterialLine("Bahan penolong", Decimal("1"), 15_000, "paket"),
                ],
            )
            services.pass_quality_check(batch, passed=quantity, location=gallery)
            made["batches"] += 1
    return made
