"""Plain helpers for the order tests."""

import uuid

from galeri.orders import fulfilment as rules
from galeri.orders import services
from galeri.payments.qris import _join_tlv, with_crc


def static_qris(name="GALERI KARYA", city="AMBON"):
    """A valid static QRIS payload (EMVCo TLV with its CRC), as a unit's merchant app gives it."""
    merchant = _join_tlv([("00", "ID.CO.QRIS.WWW"), ("01", "936000140000000001"), ("02", "ID1020000000001"), ("03", "UMI")])
    fields = [
        ("00", "01"),
        ("01", "11"),
        ("26", merchant),
        ("52", "5812"),
        ("53", "360"),
        ("58", "ID"),
        ("59", name[:25]),
        ("60", city[:15]),
        ("61", "97128"),
    ]
    return with_crc(_join_tlv(fields))


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
