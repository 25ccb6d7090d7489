"""Plain helpers for the order tests."""

import uuid

from galeri.orders import fulfilment as rules
from galeri.orders import services
from galeri.shipping.models import ShippingZone

BUYER = services.Buyer(name="Maria Latuheru", phone="+6281234567890", email="maria@contoh.id", note="Tolong dibungkus")


def pickup(unit, method="qris", **extra):
    day = rules.pickup_dates(unit)[0]
    return services.UnitChoice(unit_id=unit.pk, fulfilment="ambil", payment_method=method, pickup_date=day, **extra)


# A kelurahan/desa in each kecamatan of Kota Ambon (Kemendagri codes, galeri.regions).
VILLAGES = {
    "nusaniwe": "81.71.01.1008",  # Benteng
    "sirimau": "81.71.02.2003",  # Batu Merah
    "baguala": "81.71.03.2001",  # Passo
    "teluk_ambon": "81.71.04.2006",  # Hative Besar
    "leitimur_selatan": "81.71.05.2006",  # Hutumury
}
SAUMLAKI = "81.03.01.1001"  # Saumlaki, Tanimbar Selatan, Kabupaten Kepulauan Tanimbar, Maluku 97471


def delivery(unit, method="transfer", kecamatan="sirimau", option=None, **extra):
    """A delivery to a village of ``kecamatan`` (Kota Ambon): the unit's zone there when it has one,
    else "ongkir dikonfirmasi petugas" (``option`` overrides: "courier:jne:REG", ...)."""
    code = extra.pop("region_code", None) or VILLAGES.get(kecamatan, "")
    if option is None:
        zoned = ShippingZone.objects.filter(unit=unit, district_code=code[:8]).exists()
        option = f"zone:{code[:8]}" if zoned else "staff_quote"
    return services.UnitChoice(
        unit_id=unit.pk,
        fulfilment="antar",
        payment_method=method,
        street="Jl. Sultan Hasanudin No. 5",
        region_code=code,
        option_key=option,
        **extra,
    )


def place(items, choices, *, buyer=BUYER, key=None, **kwargs):
    """place_checkout with products: items [(product, qty)], choices [UnitChoice]."""
    return services.place_checkout(
        idempotency_key=key or uuid.uuid4(),
        buyer=buyer,
        items=[(p.pk, q) for p, q in items],
        choices={c.unit_id: c for c in choices},
        **kwargs,
    )
