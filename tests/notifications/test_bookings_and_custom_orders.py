"""What bookings and custom orders tell the buyer and the unit, each step once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from galeri.bookings import services as bookings
from galeri.custom_orders import services as custom
from galeri.notifications.models import Channel, Message, Status

pytestmark = pytest.mark.django_db


def kinds_of(related_type, pk):
    return list(
        Message.objects.filter(related_type=related_type, related_id=pk).order_by("id").values_list("kind", "channel", "status")
    )


def test_an_online_booking_tells_the_unit_and_its_confirmation_the_buyer(
    shop, make_service, book_one, staff, django_capture_on_commit_callbacks
):
    service = make_service(shop.lapas.unit)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_one(service)
        bookings.change_status(booking, staff.lapas_officer, "konfirmasi")

    assert kinds_of("booking", booking.pk) == [
        ("booking_received", Channel.WHATSAPP, Status.SENT),  # a WhatsApp number only; simulated WhatsApp
        ("staff_new_booking", Channel.EMAIL, Status.SENT),
        ("booking_confirmed", Channel.WHATSAPP, Status.SENT),
    ]
    assert Message.objects.get(kind="staff_new_booking").recipient == shop.lapas.unit.email
    [notice] = mail.outbox
    assert notice.subject.startswith(f"Pemesanan jasa baru {booking.code}")
    assert "Cukur rambut" in notice.body and "/petugas/jasa/" in notice.body
    confirmed = Message.objects.get(kind="booking_confirmed")
    assert booking.code in confirmed.body and "dikonfirmasi" in confirmed.body


def test_a_custom_order_tells_the_buyer_at_each_step(
    make_request, staff, shop, stocked, make_participant, make_batch, django_capture_on_commit_callbacks
):
    order = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        quote = custom.send_quote(
            order,
            staff.lapas_officer,
            lines=[("Kursi kayu jati", 40, 550_000)],
            lead_time_days=30,
            dp_percent=50,
            valid_until=timezone.localdate() + datetime.timedelta(days=14),
        )
        custom.accept_quote(quote, method="transfer")
    from galeri.payments.models import Payment

    dp = Payment.objects.get(payable_type="custom_order", payable_id=order.pk, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        custom.record_payment(order, staff.lapas_officer, payment=dp, received_amount=dp.amount)
    product = stocked(shop.lapas.galeri, 0, name="Kursi Kayu Jati", price=550_000, sku="LPA-KRS-01", made_to_order=True)
    batch = make_batch(
        product,
        shop.lapas.galeri,
        [(make_participant(shop.lapas.unit, initials="A.R."), Decimal("6"))],
        quantity=40,
        passed=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        custom.link_batch(order, staff.lapas_officer, batch)
        custom.mark_ready(order, staff.lapas_officer)

    to_buyer = [m.subject for m in mail.outbox if m.to == ["maria@contoh.go.id"]]
    assert to_buyer == [
        f"Penawaran untuk pesanan khusus {order.code} · Galeri Karya",
        f"Pembayaran pesanan khusus {order.code} diterima · Galeri Karya",
        f"Pesanan khusus {order.code} mulai dikerjakan · Galeri Karya",
        f"Pesanan khusus {order.code} sudah siap · Galeri Karya",
    ]
    quote_mail = mail.outbox[0]
    assert "Rp 22.000.000" in quote_mail.body and "uang muka Rp 11.000.000" in quote_mail.body
    assert "/pesan-khusus/penawaran/" in quote_mail.body
    ready = mail.outbox[-1]
    assert "Sisa pembayaran: Rp 11.000.000" in ready.body
    assert Message.objects.filter(related_type="custom_order", channel=Channel.WHATSAPP).count() == 4
