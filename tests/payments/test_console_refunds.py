"""The console's "Pengembalian dana" page (issue 16, item 4): the unit's refund tasks with what they
are for, the buyer, the amount and the method; a QRIS or transfer one is marked paid back with its
required reference; cash is left to the counter."""

import pytest
from django.test import Client

from galeri.orders import services as orders
from galeri.payments.models import Payment, PaymentKind, PaymentStatus
from tests.orders.helpers import pickup, place

pytestmark = pytest.mark.django_db

URL = "/petugas/pembayaran/pengembalian/"


@pytest.fixture
def cancelled(goods, shop, staff):
    """A QRIS order of Lapas Ambon paid, then cancelled with approval and no reference: a task."""
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit)]).orders[0]
    orders.record_payment(order, staff.lapas_officer, received_amount=150_000, reference="RRN-1")
    orders.cancel(order, reason="Barang rusak", user=staff.lapas_officer)
    orders.decide_cancel(order, staff.lapas_admin, approve=True)
    return order


def test_the_page_lists_the_task_and_marks_it_paid_back_with_a_reference(cancelled, staff, login):
    officer = login(Client(), staff.lapas_officer)
    page = officer.get(URL).content.decode()
    assert f"Pesanan {cancelled.code}" in page and cancelled.buyer_name in page and "Rp 150.000" in page
    assert "Tandai sudah dikembalikan" in page
    task = Payment.objects.get(kind=PaymentKind.REFUND)
    detail = officer.get(f"/petugas/pesanan/{cancelled.pk}/").content.decode()
    assert "Menunggu dikembalikan" in detail and "Dana dikembalikan" not in detail

    blank = officer.post(f"{URL}{task.pk}/selesai/", {"external_reference": "  "})
    assert blank.status_code == 400 and "Tulis referensi pengembaliannya" in blank.content.decode()
    assert Payment.objects.get(pk=task.pk).status == PaymentStatus.PENDING

    done = officer.post(f"{URL}{task.pk}/selesai/", {"external_reference": "TRF-BALIK-1"}, follow=True)
    assert "ditandai sudah dikembalikan" in done.content.decode()
    task.refresh_from_db()
    assert (task.status, task.external_reference) == (PaymentStatus.CONFIRMED, "TRF-BALIK-1")
    assert "Tidak ada dana yang menunggu dikembalikan" in officer.get(URL).content.decode()
    assert "Dana dikembalikan" in officer.get(f"/petugas/pesanan/{cancelled.pk}/").content.decode()


def test_another_units_staff_see_nothing_and_cannot_mark_it(cancelled, staff, login):
    lpp = login(Client(), staff.lpp_officer)
    assert cancelled.code not in lpp.get(URL).content.decode()
    task = Payment.objects.get(kind=PaymentKind.REFUND)
    assert lpp.post(f"{URL}{task.pk}/selesai/", {"external_reference": "X"}).status_code == 404
    assert Payment.objects.get(pk=task.pk).status == PaymentStatus.PENDING


def test_a_cash_refund_is_paid_at_the_counter_not_marked_here(goods, shop, staff, login, till_for):
    order = place([(goods.bag, 1)], [pickup(shop.lapas.unit, "cash")]).orders[0]
    session = till_for(staff.lapas_cashier, shop.lapas.unit)
    orders.record_payment(order, staff.lapas_cashier, received_amount=150_000, session=session)
    orders.cancel(order, reason="Tidak jadi", user=staff.lapas_cashier)
    orders.decide_cancel(order, staff.lapas_admin, approve=True, refund_reference="DIABAIKAN")  # cash: always the till
    task = Payment.objects.get(kind=PaymentKind.REFUND)
    assert (task.method, task.status) == ("cash", PaymentStatus.PENDING)
    admin = login(Client(), staff.lapas_admin)
    assert "Dibayar kasir dari laci kasir" in admin.get(URL).content.decode()
    response = admin.post(f"{URL}{task.pk}/selesai/", {"external_reference": "X"}, follow=True)
    assert "layar kasir" in response.content.decode()
    assert Payment.objects.get(pk=task.pk).status == PaymentStatus.PENDING
