"""Plain helpers for the order tests."""

import uuid

from galeri.orders import fulfilment as rules
from galeri.orders import services

BUYER = services.Buyer(name="Maria Latuheru", phone="+6281234567890", email="maria@contoh.id", note="Tolong dibungkus")


def pickup(unit, method="qris", **extra):
    day = rules.pickup_dates(unit)[0]
    return services.UnitChoice(unit_id=unit.pk, fulfilment="ambil", payment_method=method, pickup_date=day, **extra)


def delivery(unit, method="transfer", kecamatan="sirimau", **extra):
    return services.UnitChoice(
        unit_id=unit.pk,
        fulfilment="antar",
        payment_method=method,
        kecamatan=kecamatan,
        kelurahan="Batu Merah",
        street="Jl. Sultan Hasanudin No. 5",
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
