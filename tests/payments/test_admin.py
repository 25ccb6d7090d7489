"""Django admin (superusers only): settings editable, payments shown read-only, proofs never linked."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from galeri.payments import proofs, services
from tests.helpers import image_bytes, upload, verify_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("super", "super@example.id", "Anyaman-Pandan-2025")
    client.force_login(user)
    verify_session(client, user)
    return client


def test_payment_pages_render_read_only_without_a_proof_link(admin_client, make_payment):
    payment = make_payment(reference="LPA-2611-0042")
    proofs.attach_proof(payment, upload(image_bytes("PNG"), "a.png"))
    listing = admin_client.get(reverse("admin:payments_payment_changelist"))
    assert listing.status_code == 200 and "LPA-2611-0042" in listing.content.decode()
    page = admin_client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert payment.proof.name not in html
    assert 'name="_save"' not in html
    assert admin_client.get(reverse("admin:payments_payment_add")).status_code == 403


def test_unit_settings_are_edited_in_the_admin(admin_client, upt):
    row = services.payment_settings_for(upt)
    page = admin_client.get(reverse("admin:payments_unitpaymentsettings_change", args=[row.pk]))
    assert page.status_code == 200
    response = admin_client.post(
        reverse("admin:payments_unitpaymentsettings_change", args=[row.pk]),
        {"unit": upt.pk, "accept_qris": "on", "accept_cash": "on", "unique_code_max": 1000, "order_expiry_hours": 24},
    )
    assert response.status_code == 200  # refused: above 999
    row.refresh_from_db()
    assert row.unique_code_max == 0
    admin_client.post(
        reverse("admin:payments_unitpaymentsettings_change", args=[row.pk]),
        {"unit": upt.pk, "accept_qris": "on", "accept_cash": "on", "unique_code_max": 999, "order_expiry_hours": 48},
    )
    row.refresh_from_db()
    assert (row.unique_code_max, row.order_expiry_hours, row.accept_transfer) == (999, 48, False)
