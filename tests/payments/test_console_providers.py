"""The console page for a unit's acquirer credentials: who may, write-only secrets, the audit trail."""

import logging

import pytest
from django.urls import reverse

from galeri.payments.models import ProviderAccount
from tests.helpers import response_bytes

pytestmark = pytest.mark.django_db

SERVER_KEY = "SB-Mid-server-RAHASIA-jangan-tampil-7788"


def _form_url(unit, provider="midtrans"):
    return reverse("payments_console:provider_edit", args=[unit.pk, provider])


def _post(client, unit, **data):
    fields = {"merchant_id": "G490526303", "acquirer": "gopay", "secret_server_key": "", "is_active": "on"} | data
    return client.post(_form_url(unit), fields)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_units_admin_saves_credentials_and_the_secret_is_never_shown_again(staff, unit_tree, signed_in, logs):
    client = signed_in(staff.lapas_admin)
    assert "Lapas Ambon" in client.get(reverse("payments_console:providers")).content.decode()

    response = _post(client, unit_tree.lapas, secret_server_key=SERVER_KEY)

    assert response.status_code == 302
    account = ProviderAccount.objects.get(unit=unit_tree.lapas, provider="midtrans")
    assert account.is_active and account.get_secrets() == {"server_key": SERVER_KEY}
    assert SERVER_KEY not in account.secrets_sealed
    page = client.get(_form_url(unit_tree.lapas))
    body = page.content.decode()
    assert SERVER_KEY not in body and "tersimpan" in body and "G490526303" in body
    listing = client.get(reverse("payments_console:providers")).content.decode()
    assert SERVER_KEY not in listing and "tersimpan" in listing
    assert SERVER_KEY not in logs.text


def test_an_empty_secret_keeps_the_stored_one(staff, unit_tree, signed_in):
    client = signed_in(staff.lapas_admin)
    _post(client, unit_tree.lapas, secret_server_key=SERVER_KEY)

    response = _post(client, unit_tree.lapas, merchant_id="G000000001")

    assert response.status_code == 302
    account = ProviderAccount.objects.get(unit=unit_tree.lapas, provider="midtrans")
    assert account.get_secrets() == {"server_key": SERVER_KEY} and account.settings["merchant_id"] == "G000000001"


def test_a_refused_form_does_not_echo_the_secret(staff, unit_tree, signed_in):
    client = signed_in(staff.lapas_admin)
    response = client.post(
        reverse("payments_console:provider_edit", args=[unit_tree.lapas.pk, "snap"]),
        {"base_url": "bukan alamat", "secret_client_secret": SERVER_KEY, "secret_private_key": SERVER_KEY, "is_active": "on"},
    )
    assert response.status_code == 400
    assert SERVER_KEY not in response.content.decode()
    assert not ProviderAccount.objects.exists()


def test_activating_without_the_secret_is_refused_with_a_message(staff, unit_tree, signed_in):
    client = signed_in(staff.lapas_admin)
    response = _post(client, unit_tree.lapas)
    assert response.status_code == 400
    assert "Server key" in response.content.decode() and "sebelum mengaktifkan" in response.content.decode()
    assert not ProviderAccount.objects.exists()


def test_saving_is_in_the_audit_trail_without_the_secret(staff, unit_tree, signed_in):
    client = signed_in(staff.lapas_admin)
    _post(client, unit_tree.lapas, secret_server_key=SERVER_KEY)
    _post(client, unit_tree.lapas, secret_server_key=SERVER_KEY + "-baru")

    account = ProviderAccount.objects.get()
    history = list(account.history.order_by("history_id"))
    assert len(history) == 2 and history[-1].history_user == staff.lapas_admin
    assert history[-1].history_change_reason == "rahasia diganti: server_key"
    assert not hasattr(history[-1], "secrets_sealed")
    audit = client.get(reverse("console:audit"))
    text = response_bytes(audit).decode()
    assert "Rahasia diganti: server_key" in text and "Akun penyedia pembayaran" in text and SERVER_KEY not in text


def test_the_kanwil_admin_may_set_a_units_credentials(staff, unit_tree, signed_in):
    response = _post(signed_in(staff.regional), unit_tree.lapas, secret_server_key=SERVER_KEY)
    assert response.status_code == 302
    assert ProviderAccount.objects.get().unit == unit_tree.lapas


def test_another_units_admin_gets_404_and_cashiers_and_officers_are_refused(staff, unit_tree, signed_in):
    assert _post(signed_in(staff.lpp_admin), unit_tree.lapas, secret_server_key=SERVER_KEY).status_code == 404
    assert signed_in(staff.lpp_admin).get(_form_url(unit_tree.lapas)).status_code == 404
    for user in (staff.lapas_cashier, staff.lapas_officer):
        client = signed_in(user)
        assert client.get(reverse("payments_console:providers")).status_code == 403
        assert _post(client, unit_tree.lapas, secret_server_key=SERVER_KEY).status_code == 403
    assert not ProviderAccount.objects.exists()
    others = signed_in(staff.lpp_admin).get(reverse("payments_console:providers")).content.decode()
    assert "LPP Ambon" in others and "Lapas Ambon" not in others


def test_an_unknown_provider_is_404(staff, unit_tree, signed_in):
    assert signed_in(staff.lapas_admin).get(_form_url(unit_tree.lapas, "paypal")).status_code == 404


def test_the_units_admin_switches_the_counter_methods_and_others_may_not(staff, unit_tree, signed_in):
    from galeri.payments.models import UnitPaymentSettings

    url = reverse("payments_console:settings_edit", args=[unit_tree.lapas.pk])
    admin = signed_in(staff.lapas_admin)
    page = admin.get(url)
    assert page.status_code == 200 and "Di kasir galeri" in page.content.decode()
    fields = {"accept_qris": "on", "accept_cash": "on", "counter_accept_transfer": "on"}
    response = admin.post(url, {**fields, "unique_code_max": "0", "order_expiry_hours": "24"})
    assert response.status_code == 302
    saved = UnitPaymentSettings.objects.get(unit=unit_tree.lapas)
    assert (saved.counter_accept_qris, saved.counter_accept_transfer, saved.accept_transfer) == (False, True, False)
    assert saved.counter_methods == ["cash", "transfer"]
    bad = admin.post(url, {**fields, "unique_code_max": "5000", "order_expiry_hours": "24"})
    assert bad.status_code == 400 and UnitPaymentSettings.objects.get(unit=unit_tree.lapas).unique_code_max == 0
    for outsider in (staff.lpp_admin, staff.lapas_cashier):
        refused = signed_in(outsider).post(url, {"unique_code_max": "0", "order_expiry_hours": "24"})
        assert refused.status_code in (403, 404)
    assert UnitPaymentSettings.objects.get(unit=unit_tree.lapas).counter_methods == ["cash", "transfer"]
