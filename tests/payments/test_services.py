"""Payment services: settings, creating payments with unique codes, staff decisions, QRIS per unit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from galeri.payments import selectors, services
from galeri.payments.models import Payment, PaymentMethod, PaymentStatus, UnitPaymentSettings
from galeri.payments.qris import parse
from galeri.payments.services import PaymentError
from galeri.units.models import Role
from galeri.units.scoping import PERMISSIONS
from tests.payments.vectors import DYNAMIC_25000, STATIC

pytestmark = pytest.mark.django_db


def code_of(caught):
    return caught.value.code


# --- Settings and methods -----------------------------------------------------------------


def test_settings_are_made_once_with_defaults(upt):
    first = services.payment_settings_for(upt)
    again = services.payment_settings_for(upt)
    assert first.pk == again.pk
    assert UnitPaymentSettings.objects.filter(unit=upt).count() == 1
    assert (first.unique_code_max, first.order_expiry_hours, first.allow_cod) == (0, 24, False)
    assert first.enabled_methods == [PaymentMethod.QRIS, PaymentMethod.TRANSFER, PaymentMethod.CASH]


def test_settings_bounds_are_checked_by_the_database(upt):
    row = services.payment_settings_for(upt)
    row.unique_code_max = 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_available_methods_need_the_switch_and_the_account(upt, paying_unit):
    bare = services.payment_settings_for(upt)
    upt.qris_payload = ""
    upt.bank_account_number = ""
    assert selectors.available_methods(upt) == [PaymentMethod.CASH]
    upt.qris_payload = STATIC[:-4] + "0000"  # damaged: QRIS is not offered
    assert selectors.available_methods(upt) == [PaymentMethod.CASH]
    upt.refresh_from_db()
    assert selectors.available_methods(upt) == [PaymentMethod.QRIS, PaymentMethod.TRANSFER, PaymentMethod.CASH]
    bare.allow_cod = True
    bare.accept_cash = False
    bare.save()
    assert selectors.available_methods(upt) == [PaymentMethod.QRIS, PaymentMethod.TRANSFER, PaymentMethod.COD]
    upt.is_active = False
    assert selectors.available_methods(upt) == []


def test_confirm_permission_is_in_the_one_scoping_table():
    assert PERMISSIONS["payments.confirm"] == {Role.REGIONAL_ADMIN, Role.UNIT_ADMIN, Role.OFFICER, Role.CASHIER}


# --- Creating payments ------------------------------------------------------------------------


def test_a_payment_starts_pending_for_what_it_pays(paying_unit):
    payment = services.create_payment(paying_unit, "order", 42, 150_000, "qris", "LPA-2611-0042")
    assert (payment.status, payment.method, payment.amount, payment.unique_code) == ("pending", "qris", 150_000, 0)
    assert (payment.payable_type, payment.payable_id, payment.reference) == ("order", 42, "LPA-2611-0042")
    assert payment.base_amount == 150_000
    assert list(selectors.payments_for("order", 42)) == [payment]
    assert selectors.payments_for_many("order", [42, 43]) == {42: [payment]}


@pytest.mark.parametrize(
    "args, code",
    [
        (("order", 1, 0, "qris", "R1"), "bad_amount"),
        (("order", 1, -5, "qris", "R1"), "bad_amount"),
        (("order", 1, 1.5, "qris", "R1"), "bad_amount"),
        (("order", 1, "150000", "qris", "R1"), "bad_amount"),
        (("order", 1, 10**13, "qris", "R1"), "bad_amount"),
        (("order", 1, 1000, "bitcoin", "R1"), "bad_method"),
        (("order", 1, 1000, "cod", "R1"), "method_unavailable"),  # COD is off by default
        (("Order!", 1, 1000, "qris", "R1"), "bad_payable"),
        (("order", 0, 1000, "qris", "R1"), "bad_payable"),
        (("order", "1", 1000, "qris", "R1"), "bad_payable"),
        (("order", 1, 1000, "qris", "  "), "bad_reference"),
        (("order", 1, 1000, "qris", "R" * 41), "bad_reference"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(paying_unit, args, code):
    with pytest.raises(PaymentError) as caught:
        services.create_payment(paying_unit, *args)
    assert code_of(caught) == code
    assert not Payment.objects.exists()


def test_a_method_the_unit_cannot_take_is_refused_in_indonesian(unit_tree):
    rutan = unit_tree.rutan  # no QRIS, no bank account
    with pytest.raises(PaymentError) as caught:
        services.create_payment(rutan, "order", 1, 50_000, "transfer", "RTA-1")
    assert caught.value.messages == ["Rutan Ambon tidak menerima pembayaran dengan Transfer bank."]


def test_transfers_get_no_code_when_the_unit_does_not_want_one(make_payment):
    a = make_payment(150_000, "transfer")
    b = make_payment(150_000, "transfer")
    assert (a.amount, b.amount, a.unique_code, b.unique_code) == (150_000, 150_000, 0, 0)


def test_unique_codes_keep_pending_transfer_totals_apart(make_payment, with_unique_codes):
    with_unique_codes(3)
    payments = [make_payment(150_000, "transfer") for _ in range(3)]
    assert sorted(p.unique_code for p in payments) == [1, 2, 3]
    assert sorted(p.amount for p in payments) == [150_001, 150_002, 150_003]
    assert all(p.base_amount == 150_000 for p in payments)
    # Every code for Rp 150.000 is in use: refused, with a way out.
    with pytest.raises(PaymentError) as caught:
        make_payment(150_000, "transfer")
    assert code_of(caught) == "codes_exhausted"
    assert "Rp 150.000" in caught.value.messages[0]
    # QRIS and cash are not transfers: no code.
    assert make_payment(150_000, "qris").unique_code == 0
    # Cancelling one frees its total again.
    freed = payments[1]
    services.cancel_payment(freed, "pesanan kedaluwarsa")
    again = make_payment(150_000, "transfer")
    assert again.amount == freed.amount


def test_unique_codes_avoid_totals_of_neighbouring_amounts(make_payment, with_unique_codes):
    with_unique_codes(2)
    a = make_payment(100_000, "transfer")  # 100.001 or 100.002
    b = make_payment(100_001, "transfer")  # must not land on a's total
    c = make_payment(99_999, "transfer")  # 100.000 or 100.001
    totals = [a.amount, b.amount, c.amount]
    assert len(set(totals)) == 3, totals


def test_many_transfers_never_share_a_pending_total(make_payment, with_unique_codes):
    with_unique_codes(20)
    # 20 payments, bases a few rupiah apart: each always finds one of its 20 codes free.
    made = [make_payment(50_000 + (i % 7), "transfer") for i in range(20)]
    totals = [p.amount for p in made]
    assert len(set(totals)) == len(totals)
    assert all(1 <= p.unique_code <= 20 and p.amount - p.unique_code == p.base_amount for p in made)


def test_the_database_refuses_two_pending_transfers_with_the_same_coded_total(make_payment, with_unique_codes):
    with_unique_codes(5)
    first = make_payment(80_000, "transfer")
    twin = Payment(
        unit=first.unit,
        payable_type="order",
        payable_id=999,
        reference="X",
        method="transfer",
        amount=first.amount,
        unique_code=first.unique_code,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_units_have_their_own_codes(make_payment, with_unique_codes, unit_tree):
    with_unique_codes(1)
    lpp = unit_tree.lpp
    lpp.bank_name, lpp.bank_account_number = "Bank Mandiri", "152-00-1234567-8"
    lpp.save()
    with_unique_codes(1, unit=lpp)
    a = make_payment(70_000, "transfer")
    b = make_payment(70_000, "transfer", unit=lpp)
    assert a.amount == b.amount == 70_001  # each unit's money is its own account


# --- Confirming, rejecting, cancelling ---------------------------------------------------------


@pytest.mark.parametrize("who", ["lapas_admin", "lapas_officer", "lapas_cashier", "regional"])
def test_staff_of_the_unit_and_the_region_confirm(make_payment, staff, who):
    payment = make_payment(150_000, "qris")
    user = getattr(staff, who)
    result = services.confirm_payment(payment, user, 150_000, external_reference=" 612345678901 ")
    assert result is payment
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert (payment.received_amount, payment.external_reference, payment.confirmed_by) == (150_000, "612345678901", user)
    assert payment.confirmed_at is not None


@pytest.mark.parametrize("who", ["lpp_officer", "nobody"])
def test_others_may_not_confirm(make_payment, staff, who):
    payment = make_payment()
    with pytest.raises(PermissionDenied):
        services.confirm_payment(payment, getattr(staff, who), 150_000)
    with pytest.raises(PermissionDenied):
        services.reject_payment(payment, getattr(staff, who), "tidak ada")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_less_than_owed_needs_a_note(make_payment, staff):
    payment = make_payment(150_123, "transfer")
    with pytest.raises(PaymentError) as caught:
        services.confirm_payment(payment, staff.lapas_cashier, 150_000)
    assert code_of(caught) == "underpaid"
    assert "Rp 150.000" in caught.value.messages[0] and "Rp 150.123" in caught.value.messages[0]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and payment.received_amount is None
    services.confirm_payment(payment, staff.lapas_cashier, 150_000, note="Selisih Rp 123 biaya antarbank, disetujui Kasi Giatja")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and "antarbank" in payment.note


def test_more_than_owed_is_accepted(make_payment, staff):
    payment = make_payment(150_000, "cash")
    services.confirm_payment(payment, staff.lapas_cashier, 200_000)
    assert payment.received_amount == 200_000


@pytest.mark.parametrize("received", [-1, 1.5, "150000", None, True])
def test_received_must_be_whole_rupiah(make_payment, staff, received):
    payment = make_payment()
    with pytest.raises(PaymentError):
        services.confirm_payment(payment, staff.lapas_cashier, received)


def test_confirming_twice_raises_and_changes_nothing(make_payment, staff):
    payment = make_payment()
    services.confirm_payment(payment, staff.lapas_cashier, 150_000, external_reference="RRN1")
    payment.refresh_from_db()
    before = (payment.confirmed_by_id, payment.confirmed_at, payment.received_amount, payment.external_reference, payment.note)
    history = payment.history.count()
    stale = Payment.objects.get(pk=payment.pk)
    stale.status = PaymentStatus.PENDING  # as a second browser tab still believes
    with pytest.raises(PaymentError) as caught:
        services.confirm_payment(stale, staff.lapas_admin, 999_999, external_reference="RRN2", note="lagi")
    assert code_of(caught) == "already_confirmed"
    assert "sudah dikonfirmasi" in caught.value.messages[0] and "WIT" in caught.value.messages[0]
    assert stale.status == PaymentStatus.CONFIRMED  # the caller's object now shows the truth
    payment.refresh_from_db()
    after = (payment.confirmed_by_id, payment.confirmed_at, payment.received_amount, payment.external_reference, payment.note)
    assert after == before
    assert payment.history.count() == history


def test_one_bank_reference_confirms_one_payment(make_payment, staff):
    a = make_payment(150_000, "transfer")
    b = make_payment(90_000, "transfer")
    services.confirm_payment(a, staff.lapas_cashier, 150_000, external_reference="TRF-0099")
    with pytest.raises(PaymentError) as caught:
        services.confirm_payment(b, staff.lapas_cashier, 90_000, external_reference="TRF-0099")
    assert code_of(caught) == "duplicate_reference"
    assert a.reference in caught.value.messages[0]
    b.refresh_from_db()
    assert b.status == PaymentStatus.PENDING
    # A blank reference is no reference: cash payments confirm side by side.
    c, d = make_payment(10_000, "cash"), make_payment(10_000, "cash")
    services.confirm_payment(c, staff.lapas_cashier, 10_000)
    services.confirm_payment(d, staff.lapas_cashier, 10_000)


def test_reject_needs_a_reason_and_ends_the_payment(make_payment, staff):
    payment = make_payment(150_000, "transfer")
    with pytest.raises(PaymentError) as caught:
        services.reject_payment(payment, staff.lapas_officer, "  ")
    assert code_of(caught) == "note_required"
    services.reject_payment(payment, staff.lapas_officer, "Tidak ada dana masuk di mutasi 28/11")
    payment.refresh_from_db()
    assert (payment.status, payment.rejected_by) == (PaymentStatus.REJECTED, staff.lapas_officer)
    assert payment.rejected_at is not None
    with pytest.raises(PaymentError) as caught:
        services.confirm_payment(payment, staff.lapas_admin, 150_000)
    assert code_of(caught) == "not_pending"
    assert "ditolak" in caught.value.messages[0]


def test_cancel_is_for_pending_payments_and_repeatable(make_payment, staff):
    payment = make_payment()
    services.cancel_payment(payment, "Pesanan kedaluwarsa")
    services.cancel_payment(payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED and payment.note == "Pesanan kedaluwarsa"
    paid = make_payment()
    services.confirm_payment(paid, staff.lapas_cashier, 150_000)
    with pytest.raises(PaymentError) as caught:
        services.cancel_payment(paid)
    assert code_of(caught) == "already_confirmed"


def test_history_records_who_changed_what(make_payment, staff):
    payment = make_payment()
    services.confirm_payment(payment, staff.lapas_cashier, 150_000, external_reference="RRN9")
    statuses = list(payment.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["pending", "confirmed"]


def test_staff_list_is_scoped_to_their_units(make_payment, staff, unit_tree):
    lapas_payment = make_payment()
    lpp = unit_tree.lpp
    lpp_payment = services.create_payment(lpp, "order", 7, 20_000, "cash", "LPPA-1")
    assert list(selectors.staff_payments(staff.lapas_cashier)) == [lapas_payment]
    assert list(selectors.staff_payments(staff.lpp_officer)) == [lpp_payment]
    assert set(selectors.staff_payments(staff.regional)) == {lapas_payment, lpp_payment}
    assert list(selectors.staff_payments(staff.nobody)) == []


def test_matching_a_bank_statement_line(make_payment, with_unique_codes):
    with_unique_codes(999)
    payment = make_payment(150_000, "transfer")
    assert list(selectors.pending_transfers_matching(payment.unit, payment.amount)) == [payment]
    assert list(selectors.pending_transfers_matching(payment.unit, 150_000)) == []


# --- QRIS per unit ---------------------------------------------------------------------------------


def test_qris_for_writes_the_amount_into_the_units_code(paying_unit):
    payload, svg = services.qris_for(paying_unit, 25_000)
    assert payload == DYNAMIC_25000
    assert svg.startswith("<svg") and "<title>QRIS Lapas Ambon, Rp 25.000</title>" in svg


def test_qris_for_a_unit_without_qris(unit_tree):
    with pytest.raises(PaymentError) as caught:
        services.qris_for(unit_tree.rutan, 25_000)
    assert code_of(caught) == "no_qris"
    assert caught.value.messages == ["Rutan Ambon belum memasang QRIS. Pilih cara bayar lain."]


def test_qris_for_a_damaged_code_or_a_bad_amount(paying_unit):
    with pytest.raises(PaymentError) as caught:
        services.qris_for(paying_unit, 0)
    assert code_of(caught) == "bad_amount"
    paying_unit.qris_payload = STATIC.replace("Lilik", "Lilic")
    with pytest.raises(PaymentError) as caught:
        services.qris_for(paying_unit, 25_000)
    assert code_of(caught) == "bad_qris"
    assert "tidak cocok" in caught.value.messages[0]


def test_qris_payment_amount_matches_the_code(make_payment, paying_unit):
    payment = make_payment(187_500, "qris")
    payload, _svg = services.qris_for(paying_unit, payment.amount)
    assert parse(payload).amount == 187_500
