"""Made-to-order through the services: request -> quote -> accept -> DP -> production -> ready ->
paid off -> delivered -> done, and every way it must refuse (nothing changed)."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from galeri.custom_orders import services
from galeri.custom_orders.models import (
    SOURCE_TYPE,
    CustomOrder,
    QuoteStatus,
    ReferenceImage,
    Status,
)
from galeri.payments.models import Payment, PaymentStatus, proof_storage
from galeri.production.models import Settlement, SettlementHours
from galeri.units.models import Role
from tests.custom_orders.conftest import TOTAL
from tests.helpers import assert_no_metadata, image_bytes, photo_with_metadata, upload

pytestmark = pytest.mark.django_db


def _payments(order):
    return list(Payment.objects.filter(payable_type="custom_order", payable_id=order.pk).order_by("id"))


def private_files():
    root = proof_storage().location
    import pathlib

    path = pathlib.Path(root)
    return sorted(str(p) for p in path.rglob("*") if p.is_file()) if path.exists() else []


def test_the_whole_flow_from_request_to_settlement(quoted, staff, work, make_rule, cashier_till):
    make_rule(work.batch.unit)
    order, quote = quoted()
    assert order.code == f"PK-LPA-{order.pk:05d}"
    assert order.status == Status.QUOTED
    assert quote.total == TOTAL == 23_000_000
    assert quote.dp_amount == 11_500_000

    # The buyer accepts on the link and pays the DP with QRIS (the exact amount).
    services.accept_quote(quote, method="qris")
    order.refresh_from_db()
    assert order.status == Status.AWAITING_DP
    [dp] = _payments(order)
    assert (dp.amount, dp.method, dp.status, dp.reference) == (11_500_000, "qris", "pending", f"{order.code}/DP")

    # Staff see the money in their QRIS app and confirm: production starts.
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=11_500_000, external_reference="RRN-1")
    assert order.status == Status.IN_PRODUCTION and order.dp_paid_at is not None
    assert services.amount_due(order) == 11_500_000

    services.link_batch(order, staff.lapas_officer, work.batch)
    services.mark_ready(order, staff.lapas_officer)
    assert order.status == Status.READY

    # The rest at the counter, in cash, through the cashier's open till.
    services.record_payment(order, staff.lapas_cashier, method="cash", received_amount=11_500_000, session=cashier_till)
    assert order.paid_off_at is not None and services.amount_due(order) == 0
    services.hand_over(order, staff.lapas_officer, how="diantar", note="Diantar ke kantor dinas")
    assert order.status == Status.HANDED_OVER
    services.complete(order, staff.lapas_officer)
    order.refresh_from_db()
    assert order.status == Status.DONE

    settlement = Settlement.objects.get(source_type=SOURCE_TYPE, source_id=str(order.pk))
    assert settlement.revenue == TOTAL and settlement.unit == order.unit
    hours = {h.participant_id: h.hours for h in SettlementHours.objects.filter(settlement=settlement)}
    assert hours == {work.a.pk: 6, work.b.pk: 4}
    assert settlement.allocations.exists()

    labels = list(order.events.values_list("to_state", flat=True))
    assert labels == [
        "diminta",
        "ditawarkan",
        "menunggu_dp",
        "diproduksi",
        "diproduksi",
        "siap",
        "siap",
        "diserahkan",
        "selesai",
    ]
    events = list(order.events.all())
    assert events[3].user == staff.lapas_officer and "Uang muka" in events[3].label
    assert events[-2].note == "Diantar ke kantor dinas"


def test_a_quote_accepted_after_its_validity_date_is_refused(quoted):
    today = timezone.localdate()
    order, quote = quoted(valid_until=today)
    tomorrow = timezone.now() + datetime.timedelta(days=1, hours=1)
    with pytest.raises(services.CustomOrderError, match="kedaluwarsa"):
        services.accept_quote(quote, method="qris", now=tomorrow)
    order.refresh_from_db()
    quote.refresh_from_db()
    assert order.status == Status.QUOTED and quote.status == QuoteStatus.SENT
    assert _payments(order) == []


def test_a_new_quote_replaces_the_old_one_which_can_no_longer_be_accepted(quoted, staff):
    order, first = quoted()
    _order, second = quoted(order=order, dp_percent=30)
    first.refresh_from_db()
    assert first.status == QuoteStatus.SUPERSEDED
    with pytest.raises(services.CustomOrderError, match="diganti"):
        services.accept_quote(first, method="transfer")
    services.accept_quote(second, method="transfer")
    [dp] = _payments(order)
    assert dp.amount == 6_900_000  # 30% of Rp 23.000.000


def test_declined_then_quoted_again(quoted):
    order, quote = quoted()
    services.decline_quote(quote, reason="Anggaran belum cukup")
    assert order.status == Status.DECLINED
    with pytest.raises(services.CustomOrderError):
        services.accept_quote(quote, method="qris")
    _order, again = quoted(order=order, lines=[("Kursi kayu", 40, 500_000)])
    assert again.number == 2 and order.status == Status.QUOTED


def test_double_submit_makes_one_request(make_request, shop):
    key = uuid.uuid4()
    first = make_request(idempotency_key=key)
    second = make_request(idempotency_key=key, title="Lain")
    assert first.pk == second.pk
    assert CustomOrder.objects.count() == 1


def test_reference_images_are_reencoded_without_metadata(make_request):
    order = make_request(images=[upload(photo_with_metadata("JPEG")), upload(image_bytes("PNG"), "b.png", "image/png")])
    images = list(order.images.all())
    assert len(images) == 2
    for image in images:
        with proof_storage().open(image.name, "rb") as handle:
            assert_no_metadata(handle.read())


@pytest.mark.parametrize(
    "bad",
    [
        upload(b"<html><script>alert(1)</script></html>", "gambar.jpg", "image/jpeg"),
        upload(image_bytes("PNG")[:60], "potong.png", "image/png"),
        upload(b"%PDF-1.4 bukan gambar %%EOF", "dok.pdf", "application/pdf"),
    ],
)
def test_a_bad_image_refuses_the_request_and_saves_nothing(make_request, bad):
    before = private_files()
    with pytest.raises(services.CustomOrderError, match="Gambar acuan 2 ditolak"):
        make_request(images=[upload(image_bytes("PNG"), "a.png", "image/png"), bad])
    assert CustomOrder.objects.count() == 0
    assert ReferenceImage.objects.count() == 0
    assert private_files() == before


def test_more_than_three_images_are_refused(make_request):
    with pytest.raises(services.CustomOrderError, match="Paling banyak 3"):
        make_request(images=[upload(image_bytes("PNG"), f"{i}.png", "image/png") for i in range(4)])
    assert CustomOrder.objects.count() == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"npwp": "12345"}, "NPWP harus 15 atau 16"),
        ({"npwp": "01.234.567.8-901.00X"}, "NPWP hanya berisi angka"),
        ({"phone": "12"}, "Nomor telepon"),
        ({"email": "bukan-email"}, "email tidak valid"),
        ({"quantity": 0}, "Jumlah"),
        ({"title": "  "}, "Yang dipesan wajib"),
        ({"institution": ""}, "nama instansi"),
        ({"deadline": datetime.date(2020, 1, 1)}, "sudah lewat"),
    ],
)
def test_bad_request_input_is_refused_with_a_message(make_request, fields, message):
    with pytest.raises(services.CustomOrderError, match=message):
        make_request(**fields)
    assert CustomOrder.objects.count() == 0


def test_npwp_of_sixteen_digits_is_kept_as_digits(make_request):
    order = make_request(npwp="3171 0123 4567 8901")
    assert order.npwp == "3171012345678901"
    assert services.format_npwp("012345678901000") == "01.234.567.8-901.000"


def test_cancel_before_dp_is_free_and_closes_the_pending_payment(quoted):
    order, quote = quoted()
    services.accept_quote(quote, method="transfer")
    services.cancel(order, reason="Acara ditunda", by_buyer=True)
    assert order.status == Status.CANCELLED
    assert [p.status for p in _payments(order)] == [PaymentStatus.CANCELLED]
    assert (order.cancel_kept_amount, order.cancel_refund_amount) == (0, 0)


def test_cancel_after_dp_needs_cancel_paid_and_records_what_is_kept(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=_payments(order)[0], received_amount=11_500_000)
    with pytest.raises(services.CustomOrderError, match="hanya lewat unit"):
        services.cancel(order, reason="Batal", by_buyer=True)
    # Issue 16: staff ask, an administrator (another person) approves.
    services.cancel(order, reason="Anggaran dinas dipotong", user=staff.lapas_officer)
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION
    with pytest.raises(PermissionDenied):
        services.decide_cancel(order, staff.lapas_officer, approve=True)
    # Terms: 50% of the DP is kept.
    assert services.cancel_terms(order) == (11_500_000, 5_750_000, 5_750_000)
    services.decide_cancel(order, staff.lapas_admin, approve=True)
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert (order.cancel_kept_amount, order.cancel_refund_amount) == (5_750_000, 5_750_000)
    assert "ditahan Rp 5.750.000" in order.events.last().note


def test_cancel_after_dp_with_an_amount_agreed_otherwise(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=_payments(order)[0], received_amount=11_500_000)
    services.cancel(order, reason="Kesepakatan", user=staff.lapas_officer)
    with pytest.raises(services.CustomOrderError):
        services.decide_cancel(order, staff.lapas_admin, approve=True, kept_amount=20_000_000)
    services.decide_cancel(order, staff.lapas_admin, approve=True, kept_amount=1_000_000)
    assert (order.cancel_kept_amount, order.cancel_refund_amount) == (1_000_000, 10_500_000)


def test_steps_out_of_order_are_refused(quoted, staff, work, shop, make_workshop, make_participant, make_batch, stocked):
    order, quote = quoted()
    with pytest.raises(services.CustomOrderError):
        services.link_batch(order, staff.lapas_officer, work.batch)  # no DP yet
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=_payments(order)[0], received_amount=11_500_000)
    with pytest.raises(services.CustomOrderError, match="batch"):
        services.mark_ready(order, staff.lapas_officer)
    # A batch of another unit is refused.
    rutan_product = stocked(shop.rutan.galeri, 0, name="Meja", sku="RTA-MJ-01")
    other = make_batch(rutan_product, shop.rutan.galeri, [(make_participant(shop.rutan.unit), 2)], passed=False)
    with pytest.raises((services.CustomOrderError, PermissionDenied)):
        services.link_batch(order, staff.lapas_officer, other)
    services.link_batch(order, staff.lapas_officer, work.batch)
    services.mark_ready(order, staff.lapas_officer)
    services.hand_over(order, staff.lapas_officer, how="diambil")
    with pytest.raises(services.CustomOrderError, match="Sisa pembayaran Rp 11.500.000"):
        services.complete(order, staff.lapas_officer)
    assert not Settlement.objects.filter(source_type=SOURCE_TYPE).exists()


def test_staff_of_another_unit_cannot_touch_the_order(quoted, rutan_officer):
    order, quote = quoted()
    with pytest.raises(PermissionDenied):
        services.send_quote(
            order, rutan_officer, lines=[("x", 1, 1000)], lead_time_days=1, dp_percent=0, valid_until=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.cancel(order, reason="x", user=rutan_officer)


def test_a_cashier_confirms_money_but_does_not_quote(quoted, staff):
    order, quote = quoted()
    with pytest.raises(PermissionDenied):
        services.send_quote(
            order, staff.lapas_cashier, lines=[("x", 1, 1000)], lead_time_days=1, dp_percent=0, valid_until=timezone.localdate()
        )
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_cashier, payment=_payments(order)[0], received_amount=11_500_000)
    assert order.status == Status.IN_PRODUCTION


def test_confirming_the_dp_twice_changes_nothing(quoted, staff):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    dp = _payments(order)[0]
    services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=11_500_000)
    events = order.events.count()
    with pytest.raises(services.CustomOrderError):
        services.record_payment(order, staff.lapas_officer, payment=dp, received_amount=11_500_000)
    assert order.events.count() == events
    assert services.amount_paid(order) == 11_500_000


def test_buyer_chooses_transfer_for_the_rest(quoted, staff, work):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=_payments(order)[0], received_amount=11_500_000)
    rest = services.buyer_choose_payment(order, method="transfer")
    assert (rest.amount, rest.reference) == (11_500_000, f"{order.code}/PELUNASAN")
    again = services.buyer_choose_payment(order, method="qris")
    rest.refresh_from_db()
    assert rest.status == PaymentStatus.CANCELLED and again.status == PaymentStatus.PENDING
    services.record_payment(order, staff.lapas_officer, payment=again, received_amount=11_500_000)
    assert order.paid_off_at is not None


def test_a_quote_without_dp_waits_for_the_administrators_waiver(quoted):
    # Issue 16: a DP of Rp 0 used to start production by itself.
    order, quote = quoted(dp_percent=0)
    services.accept_quote(quote, method="qris")
    assert order.status == Status.AWAITING_DP and _payments(order) == []


def test_bad_quotes_are_refused(make_request, staff):
    order = make_request()
    base = dict(lead_time_days=10, dp_percent=50, valid_until=timezone.localdate())
    for lines, message in [([], "paling sedikit satu"), ([("", 1, 100)], "Uraian"), ([("x", 1, 0)], "Total")]:
        with pytest.raises(services.CustomOrderError, match=message):
            services.send_quote(order, staff.lapas_officer, lines=lines, **base)
    with pytest.raises(services.CustomOrderError, match="berlaku"):
        services.send_quote(
            order, staff.lapas_officer, lines=[("x", 1, 100)], **{**base, "valid_until": datetime.date(2020, 1, 1)}
        )
    with pytest.raises(services.CustomOrderError, match="Uang muka"):
        services.send_quote(order, staff.lapas_officer, lines=[("x", 1, 100)], **{**base, "dp_percent": 101})
    assert order.quotes.count() == 0
    order.refresh_from_db()
    assert order.status == Status.REQUESTED


def test_dp_rounds_up_to_whole_rupiah():
    assert services.dp_for(1001, 50) == 501
    assert services.dp_for(23_000_000, 50) == 11_500_000
    assert services.dp_for(100, 0) == 0


def test_only_unit_admins_hold_cancel_paid():
    from galeri.units.scoping import PERMISSIONS

    assert Role.OFFICER not in PERMISSIONS["custom_orders.cancel_paid"]
    assert Role.UNIT_ADMIN in PERMISSIONS["custom_orders.cancel_paid"]
