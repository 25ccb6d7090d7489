"""Demo made-to-order requests: one per Ambon UPT, in different states.

- Lapas Ambon: 40 meeting chairs for the Dinas Pendidikan, quote accepted, DP received by
  transfer, in production with a batch linked (when the unit has one).
- LPP Ambon: batik uniforms for a bank's CSR programme, quote sent and waiting for the buyer.
- Rutan Ambon: snack boxes for an office event, just requested.

``seed_demo_custom_orders(units_by_code)`` is called by the demo command after production data.
Safe to run again: a unit that already has a made-to-order request is left as it is.
"""

import datetime
import uuid

from django.db import transaction

from galeri.core import clock
from galeri.custom_orders import services
from galeri.custom_orders.models import CustomOrder
from galeri.payments.models import Payment, PaymentMethod
from galeri.payments.selectors import available_methods
from galeri.production.models import Batch
from galeri.units.models import Role, RoleAssignment

# A fixed namespace: the same demo request gets the same idempotency key on every run.
_NS = uuid.UUID("6f1d7c1e-3f0b-4a53-9a57-2b1c0f0d5a11")

REQUESTS = {
    "LPA": dict(
        title="Kursi kayu ruang rapat",
        quantity=40,
        size_notes="45 × 45 × 90 cm, sandaran tinggi",
        description="Kayu jati atau kayu lokal setara, pelitur warna cokelat tua.",
        budget=25_000_000,
        buyer_kind="instansi",
        institution="Dinas Pendidikan Provinsi Maluku",
        contact_name="Ibu M. Latuheru",
        phone="0812-4700-1001",
        email="umum@dikbud.maluku.contoh.go.id",
        npwp="00.123.456.7-941.000",
        lines=[("Kursi kayu rangka jati, dudukan anyaman rotan", 40, 550_000), ("Pengantaran ke Kota Ambon", 1, 500_000)],
        stage="production",
    ),
    "LPP": dict(
        title="Seragam batik motif cengkih",
        quantity=120,
        size_notes="S 20, M 50, L 40, XL 10",
        description="Untuk pegawai cabang dan program CSR pelatihan menjahit.",
        budget=36_000_000,
        buyer_kind="csr",
        institution="Program CSR Bank Contoh Maluku",
        contact_name="Bapak Y. Pattiasina",
        phone="0813-4700-2002",
        email="csr@bankcontoh.co.id",
        npwp="01.234.567.8-941.000",
        lines=[("Kemeja batik lengan panjang, kain katun", 120, 275_000)],
        stage="quoted",
    ),
    "RTA": dict(
        title="Kue kering kotak untuk rapat kerja",
        quantity=300,
        size_notes="Kotak isi 4 jenis kue",
        budget=9_000_000,
        buyer_kind="instansi",
        institution="Kantor Kecamatan Sirimau",
        contact_name="Ibu R. Tuhumury",
        phone="0852-4700-3003",
        stage="requested",
    ),
}


def _staff(unit):
    assignment = (
        RoleAssignment.objects.filter(unit=unit, role__in=[Role.OFFICER, Role.UNIT_ADMIN], user__is_active=True)
        .select_related("user")
        .order_by("role", "id")
        .first()
    )
    return assignment.user if assignment else None


def seed_demo_custom_orders(units_by_code) -> int:
    made = 0
    today = clock.today()
    for code, spec in sorted(REQUESTS.items()):
        unit = units_by_code.get(code)
        if unit is None or CustomOrder.objects.filter(unit=unit).exists():
            continue
        spec = dict(spec)
        lines, stage = spec.pop("lines", None), spec.pop("stage")
        with transaction.atomic():
            order, _created = services.submit_request(
                idempotency_key=uuid.uuid5(_NS, code), unit=unit, deadline=today + datetime.timedelta(days=45), **spec
            )
            made += 1
            user = _staff(unit)
            if stage == "requested" or user is None or not lines:
                continue
            quote = services.send_quote(
                order,
                user,
                lines=lines,
                lead_time_days=21,
                dp_percent=50,
                valid_until=today + datetime.timedelta(days=14),
                terms="Harga sudah termasuk bahan. Pembayaran ke rekening atau QRIS resmi unit.",
                cancel_keep_percent=50,
            )
            if stage == "quoted":
                continue
            methods = [m for m in available_methods(unit) if m in (PaymentMethod.TRANSFER, PaymentMethod.QRIS)]
            if not methods:
                continue
            services.accept_quote(quote, method=methods[0])
            dp = Payment.objects.filter(payable_type="custom_order", payable_id=order.pk).first()
            services.record_payment(order, user, payment=dp, received_amount=dp.amount, external_reference=f"DEMO-{order.code}")
            batch = Batch.objects.filter(unit=unit).order_by("-started_on", "-id").first()
            if batch is not None:
                services.link_batch(order, user, batch)
    return made
