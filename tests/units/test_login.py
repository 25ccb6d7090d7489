"""Signing in and out, lockout after wrong passwords, password change and reset by email."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units.models import Role
from tests.helpers import PASSWORD, code_for, text_of

pytestmark = pytest.mark.django_db

LOGIN = "/petugas/masuk/"


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_urls_are_indonesian():
    assert reverse("units:login") == "/petugas/masuk/"
    assert reverse("units:password_change") == "/petugas/sandi/"
    assert reverse("units:password_reset") == "/petugas/sandi/lupa/"
    assert reverse("units:staff_list") == "/petugas/pengguna/"
    assert reverse("units:unit_list") == "/petugas/unit/"
    assert reverse("console:audit") == "/petugas/audit/"


def test_login_page_in_indonesian(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = text_of(response)
    assert "Masuk petugas" in page and "Kata sandi" in page and "Lupa kata sandi?" in page


def test_login_with_the_right_password_opens_the_console(client, upt, make_staff):
    officer = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    device = TOTPDevice.objects.create(user=officer, name="ponsel", confirmed=True)
    response = post_login(client, "petugas.lapas", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("console:home")
    # The officer reads participants' restricted fields: the second step comes before the console.
    assert client.get(reverse("console:home")).url.startswith(reverse("units:otp_verify"))
    client.post(reverse("units:otp_verify"), {"token": code_for(device)})
    assert client.get(reverse("console:home")).status_code == 200


def test_login_follows_next_but_not_to_another_site(client, upt, make_staff):
    make_staff(Role.UNIT_ADMIN, upt, username="admin.lapas")
    response = post_login(client, "admin.lapas", PASSWORD, next="/petugas/pengguna/")
    assert response.url == "/petugas/pengguna/"
    client.post(reverse("units:logout"))
    response = post_login(client, "admin.lapas", PASSWORD, next="https://jahat.example/")
    assert response.url == reverse("console:home")


def test_wrong_password_gives_an_indonesian_message(client, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    response = post_login(client, "petugas.lapas", "salah-sekali")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas", is_active=False)
    response = post_login(client, "petugas.lapas", PASSWORD)
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in text_of(response)


def test_lockout_after_five_failures_even_for_the_right_password(client, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    for attempt in range(4):
        response = post_login(client, "petugas.lapas", f"tebakan-{attempt}")
        assert response.status_code == 200
    response = post_login(client, "petugas.lapas", "tebakan-5")
    assert response.status_code == 429
    page = text_of(response)
    assert "Akun dikunci sementara" in page
    assert "sekitar 1 menit lagi" in page
    assert "hubungi administrator unit Anda" in page

    # Now even the right password is refused, and nobody is signed in.
    response = post_login(client, "petugas.lapas", PASSWORD)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username(client, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    make_staff(Role.CASHIER, upt, username="kasir.lapas")
    for attempt in range(5):
        post_login(client, "petugas.lapas", f"tebakan-{attempt}")
    assert post_login(client, "kasir.lapas", PASSWORD).status_code == 302


def test_the_unit_administrator_lifts_a_lockout(client, upt, make_staff, login):
    officer = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    admin = make_staff(Role.UNIT_ADMIN, upt, username="admin.lapas")
    for attempt in range(5):
        post_login(client, "petugas.lapas", f"tebakan-{attempt}")
    assert post_login(client, "petugas.lapas", PASSWORD).status_code == 429

    from django.test import Client

    admin_client = login(Client(), admin)
    detail = admin_client.get(reverse("units:staff_detail", args=[officer.pk]))
    assert "Terkunci" in text_of(detail)
    admin_client.post(reverse("units:staff_unlock", args=[officer.pk]))
    assert "Terkunci" not in text_of(admin_client.get(reverse("units:staff_detail", args=[officer.pk])))

    assert post_login(client, "petugas.lapas", PASSWORD).status_code == 302


def test_logout_is_post_only(client, upt, make_staff, login):
    login(client, make_staff(Role.OFFICER, upt))
    assert client.get(reverse("units:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("units:logout"))
    assert response.status_code == 302 and response.url == reverse("units:login")
    assert "_auth_user_id" not in client.session


def test_english_prefix_works_too(client, upt, make_staff):
    make_staff(Role.OFFICER, upt, username="petugas.lapas")
    assert client.get("/en/petugas/masuk/").status_code == 200
    response = client.post("/en/petugas/masuk/", {"username": "petugas.lapas", "password": PASSWORD})
    assert response.status_code == 302


# --- Password change ---------------------------------------------------------------------


def test_password_change_checks_the_old_one_and_speaks_indonesian(client, upt, make_staff, login):
    user = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    login(client, user)
    url = reverse("units:password_change")
    assert client.get(url).status_code == 200

    response = client.post(url, {"old_password": "bukan-ini", "new_password1": "x", "new_password2": "x"})
    page = text_of(response)
    assert "Sandi lama Anda yang dimasukkan salah" in page

    response = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    page = text_of(response)
    assert "Kata sandi terlalu pendek" in page
    assert "Kata sandi ini terlalu umum" in page
    assert "seluruhnya terdiri dari angka" in page

    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Tenun-Ikat-Tanimbar-9", "new_password2": "Tenun-Ikat-Tanimbar-9"}
    )
    assert response.status_code == 302 and response.url == reverse("units:account")
    user.refresh_from_db()
    assert user.check_password("Tenun-Ikat-Tanimbar-9")
    # The session survives the change (Django updates the session hash).
    assert client.get(reverse("units:account")).status_code == 200


def test_password_change_needs_a_signed_in_user(client):
    response = client.get(reverse("units:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("units:login"))


# --- Password reset by email ---------------------------------------------------------------


def reset_link(message):
    match = re.search(r"https?://\S+/petugas/sandi/atur/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_password_reset_by_email_works_once(client, upt, make_staff):
    user = make_staff(Role.OFFICER, upt, username="petugas.lapas", email="petugas@lapas-ambon.go.id")
    response = client.post(reverse("units:password_reset"), {"email": "Petugas@Lapas-Ambon.go.id"})
    assert response.status_code == 302 and response.url == reverse("units:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petugas@lapas-ambon.go.id"]
    assert message.subject == "Atur ulang kata sandi Galeri Karya"
    assert "petugas.lapas" in message.body and "hanya dapat dipakai sekali" in message.body

    link = reset_link(message)
    path = link.split("testserver", 1)[1]
    response = client.get(path)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response.url
    page = text_of(client.get(form_url))
    assert "Buat kata sandi baru" in page and "petugas.lapas" in page

    response = client.post(form_url, {"new_password1": "pendek", "new_password2": "pendek"})
    assert "Kata sandi terlalu pendek" in text_of(response)

    response = client.post(form_url, {"new_password1": "Ukiran-Kayu-Besi-7", "new_password2": "Ukiran-Kayu-Besi-7"})
    assert response.status_code == 302 and response.url == reverse("units:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Ukiran-Kayu-Besi-7")

    # The same link again: refused.
    fresh = client.__class__()
    response = fresh.get(path, follow=True)
    assert "Tautan ini tidak berlaku lagi" in text_of(response)


def test_reset_says_the_same_for_an_unknown_address(client, db):
    response = client.post(reverse("units:password_reset"), {"email": "siapa@contoh.go.id"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_reset_lifts_a_lockout(client, upt, make_staff):
    user = make_staff(Role.OFFICER, upt, username="petugas.lapas")
    for attempt in range(5):
        post_login(client, "petugas.lapas", f"tebakan-{attempt}")
    client.post(reverse("units:password_reset"), {"email": user.email})
    path = reset_link(mail.outbox[0]).split("testserver", 1)[1]
    form_url = client.get(path).url
    client.post(form_url, {"new_password1": "Ukiran-Kayu-Besi-7", "new_password2": "Ukiran-Kayu-Besi-7"})
    assert post_login(client, "petugas.lapas", "Ukiran-Kayu-Besi-7").status_code == 302


def test_no_password_hash_in_history(upt, make_staff, client, login):
    user = make_staff(Role.OFFICER, upt)
    login(client, user)
    client.post(
        reverse("units:password_change"),
        {"old_password": PASSWORD, "new_password1": "Tenun-Ikat-Tanimbar-9", "new_password2": "Tenun-Ikat-Tanimbar-9"},
    )
    history_model = User.history.model
    assert "password" not in {f.name for f in history_model._meta.get_fields()}
    rows = list(User.history.filter(id=user.pk).order_by("history_date"))
    assert rows[-1].history_change_reason == "password_changed"
    # Signing in (last_login only) writes no history row.
    before = User.history.filter(id=user.pk).count()
    client.post(reverse("units:logout"))
    client.post(LOGIN, {"username": user.username, "password": "Tenun-Ikat-Tanimbar-9"})
    assert User.history.filter(id=user.pk).count() == before
