"""Flagged QRIS charges: the staff page and the console home's task count."""

import pytest
from django.urls import reverse

from galeri.payments.models import ChargeStatus
from tests.payments.reconcile_kit import at, charge

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(acquirer_account, make_payment):
    return charge(
        acquirer_account("simulasi"),
        make_payment(150_000, reference="LPA-2611-0042"),
        "LPA-2611-0042-abc123",
        status=ChargeStatus.FLAGGED,
        paid=140_000,
        paid_at=at(12, 0),
        flag_reason="Jumlah dibayar Rp 140.000 berbeda dari tagihan Rp 150.000.",
    )


def test_staff_of_the_unit_see_what_was_paid_what_was_due_and_why(flagged, staff, signed_in):
    page = signed_in(staff.lapas_officer).get(reverse("payments_console:flagged")).content.decode()
    for text in ("LPA-2611-0042", "Rp 150.000", "Rp 140.000", "berbeda dari tagihan", "28/11/2026 14.00"):
        assert text in page.replace("14:00", "14.00")


def test_other_units_do_not_see_it(flagged, staff, signed_in):
    page = signed_in(staff.lpp_officer).get(reverse("payments_console:flagged")).content.decode()
    assert "LPA-2611-0042" not in page and "Tidak ada pembayaran yang perlu diperiksa" in page


def test_the_console_home_counts_it_for_staff_who_can_act(flagged, staff, signed_in):
    home = signed_in(staff.lapas_cashier).get(reverse("console:home"))
    task = next(t for t in home.context["tasks"] if t["url"] == reverse("payments_console:flagged"))
    assert task["count"] == 1 and "perlu diperiksa" in str(task["label"])
    other = signed_in(staff.lpp_officer).get(reverse("console:home"))
    assert next(t for t in other.context["tasks"] if t["url"] == reverse("payments_console:flagged"))["count"] == 0
