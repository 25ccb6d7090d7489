"""Provider secrets are encrypted at rest with a key from the environment, never shown back."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from galeri.payments import acquiring, secrets
from galeri.payments.models import ProviderAccount
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

PLAIN = "SB-Mid-server-RAHASIA-sekali-123"


def _raw_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT settings, secrets_sealed FROM payments_provideraccount")
        return [" ".join(str(col) for col in row) for row in cursor.fetchall()]


def test_the_database_column_never_holds_the_plain_secret(paying_unit):
    account = acquiring.save_account(paying_unit, "midtrans", settings={"merchant_id": "G1"}, secrets={"server_key": PLAIN})
    rows = _raw_rows()
    assert len(rows) == 1 and PLAIN not in rows[0] and "RAHASIA" not in rows[0]
    assert "G1" in rows[0]  # settings are not secret
    assert ProviderAccount.objects.get(pk=account.pk).get_secrets() == {"server_key": PLAIN}
    assert PLAIN not in repr(account) and PLAIN not in str(account)


def test_an_empty_secret_in_a_form_keeps_the_stored_one(paying_unit):
    acquiring.save_account(paying_unit, "xendit", secrets={"secret_key": "xnd_1", "callback_token": "tok_1"})
    account = acquiring.save_account(paying_unit, "xendit", secrets={"secret_key": "", "callback_token": "tok_2"})
    assert account.get_secrets() == {"secret_key": "xnd_1", "callback_token": "tok_2"}


def test_without_a_key_a_production_server_refuses_to_store_secrets(settings, monkeypatch, paying_unit):
    settings.GALERI_SECRETS_KEY = None
    settings.DEBUG = False
    monkeypatch.delenv(secrets.ENV_NAME, raising=False)
    with pytest.raises(secrets.SecretsError) as refused:
        acquiring.save_account(paying_unit, "midtrans", secrets={"server_key": PLAIN})
    assert "GALERI_SECRETS_KEY" in str(refused.value) and PLAIN not in str(refused.value)
    assert not ProviderAccount.objects.exists()


def test_in_debug_a_development_key_comes_from_secret_key(settings, monkeypatch, paying_unit):
    settings.GALERI_SECRETS_KEY = None
    settings.DEBUG = True
    monkeypatch.delenv(secrets.ENV_NAME, raising=False)
    account = acquiring.save_account(paying_unit, "midtrans", secrets={"server_key": PLAIN})
    assert account.get_secrets() == {"server_key": PLAIN}
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789"
    with pytest.raises(secrets.SecretsError):
        ProviderAccount.objects.get(pk=account.pk).get_secrets()


def test_the_key_can_come_from_the_environment_and_be_rotated(settings, monkeypatch, paying_unit):
    old = Fernet.generate_key().decode()
    settings.GALERI_SECRETS_KEY = None
    monkeypatch.setenv(secrets.ENV_NAME, old)
    account = acquiring.save_account(paying_unit, "midtrans", secrets={"server_key": PLAIN})
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(secrets.ENV_NAME, f"{new},{old}")
    assert ProviderAccount.objects.get(pk=account.pk).get_secrets() == {"server_key": PLAIN}
    monkeypatch.setenv(secrets.ENV_NAME, new)
    with pytest.raises(secrets.SecretsError):
        ProviderAccount.objects.get(pk=account.pk).get_secrets()


def test_a_malformed_key_is_a_clear_error(settings, paying_unit):
    settings.GALERI_SECRETS_KEY = "bukan-kunci"
    with pytest.raises(secrets.SecretsError) as refused:
        acquiring.save_account(paying_unit, "midtrans", secrets={"server_key": PLAIN})
    assert "Fernet" in str(refused.value)


def test_the_admin_never_shows_the_secret(client, paying_unit):
    account = acquiring.save_account(paying_unit, "midtrans", secrets={"server_key": PLAIN})
    user = User.objects.create_superuser("super", "super@example.id", "Anyaman-Pandan-2025")
    client.force_login(user)
    verify_session(client, user)
    for url in (
        reverse("admin:payments_provideraccount_changelist"),
        reverse("admin:payments_provideraccount_change", args=[account.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert PLAIN not in html and account.secrets_sealed not in html


def test_a_rejected_notification_logs_no_secret(paying_unit, make_payment, network, acquirer_account, caplog):
    from tests.payments import acquirer_kit as kit
    from tests.payments.acquirer_drivers import MidtransDriver

    driver = MidtransDriver(network, acquirer_account("midtrans"))
    charge = driver.charge(make_payment(150_000))
    with caplog.at_level(logging.DEBUG):
        driver.deliver(*driver.notification(charge, forged=True))
        driver.deliver(*driver.notification(charge))
    assert kit.MIDTRANS_SERVER_KEY not in caplog.text
