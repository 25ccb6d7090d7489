"""Staff management: unit administrators within their subtree, regional administrators over the region."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from galeri.units import services
from galeri.units.forms import GrantRoleForm, StaffCreateForm
from galeri.units.models import Role, RoleAssignment, Unit, UnitKind
from galeri.units.services import StaffError
from tests.helpers import PASSWORD, text_of

pytestmark = pytest.mark.django_db


def new_staff(**overrides):
    data = {
        "username": "kasir.baru",
        "full_name": "Siti Wattimena",
        "email": "siti@contoh.go.id",
        "password_mode": "password",
        "password1": "Sagu-Lempeng-Ambon-1",
        "password2": "Sagu-Lempeng-Ambon-1",
    }
    data.update(overrides)
    return data


def choices(form, name):
    return [str(value) for value, _ in form.fields[name].choices if value != ""]


# --- Lists and details --------------------------------------------------------------------


def test_unit_admin_sees_only_their_units_staff(client, staff, login):
    login(client, staff.lapas_admin)
    page = text_of(client.get(reverse("units:staff_list")))
    for username in ("admin.lapas", "petugas.lapas", "kasir.lapas"):
        assert username in page
    for username in ("admin.lpp", "petugas.lpp", "admin.kanwil", "tanpa.peran"):
        assert username not in page


def test_regional_admin_sees_the_whole_region(client, staff, login):
    login(client, staff.regional)
    page = text_of(client.get(reverse("units:staff_list")))
    for username in ("admin.lapas", "petugas.lapas", "admin.lpp", "petugas.lpp", "admin.kanwil"):
        assert username in page
    assert "tanpa.peran" not in page


def test_list_shows_only_roles_on_reachable_units(client, staff, unit_tree, login):
    RoleAssignment.objects.create(user=staff.lapas_officer, unit=unit_tree.lpp, role=Role.CASHIER)
    login(client, staff.lapas_admin)
    response = client.get(reverse("units:staff_list"))
    assert "Petugas Giatja/Bimker · Lapas Ambon" in text_of(response)
    assert "LPP Ambon" not in text_of(response)


def test_list_filters(client, staff, unit_tree, login):
    login(client, staff.regional)
    page = text_of(client.get(reverse("units:staff_list"), {"unit": unit_tree.lpp.pk}))
    assert "admin.lpp" in page and "admin.lapas" not in page
    page = text_of(client.get(reverse("units:staff_list"), {"role": "cashier"}))
    assert "kasir.lapas" in page and "admin.lapas" not in page
    page = text_of(client.get(reverse("units:staff_list"), {"q": "petugas"}))
    assert "petugas.lpp" in page and "kasir.lapas" not in page


def test_other_units_staff_are_404(client, staff, login):
    login(client, staff.lapas_admin)
    for name in ("staff_detail", "staff_edit"):
        assert client.get(reverse(f"units:{name}", args=[staff.lpp_officer.pk])).status_code == 404
    for name in ("staff_deactivate", "staff_grant", "staff_send_link", "staff_reset_otp", "staff_unlock"):
        assert client.post(reverse(f"units:{name}", args=[staff.lpp_officer.pk])).status_code == 404
    staff.lpp_officer.refresh_from_db()
    assert staff.lpp_officer.is_active


def test_officers_and_cashiers_cannot_manage_staff(client, staff, login):
    for user in (staff.lapas_officer, staff.lapas_cashier):
        login(client, user)
        assert client.get(reverse("units:staff_list")).status_code == 403
        assert client.get(reverse("units:staff_detail", args=[staff.lapas_officer.pk])).status_code == 403


# --- Creating accounts ----------------------------------------------------------------------


def test_form_choices_offer_only_reachable_units_and_roles(staff, unit_tree):
    form = StaffCreateForm(actor=staff.lapas_admin)
    assert choices(form, "unit") == [str(unit_tree.lapas.pk)]
    assert choices(form, "role") == ["unit_admin", "officer", "cashier"]
    grant = GrantRoleForm(actor=staff.lapas_admin)
    assert choices(grant, "unit") == [str(unit_tree.lapas.pk)]
    assert "regional_admin" not in choices(grant, "role")

    regional = StaffCreateForm(actor=staff.regional)
    assert set(choices(regional, "unit")) == {str(u.pk) for u in (unit_tree.kanwil, *unit_tree.upts)}
    assert "regional_admin" in choices(regional, "role")


def test_unit_admin_creates_an_officer(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    assert client.get(reverse("units:staff_create")).status_code == 200
    response = client.post(reverse("units:staff_create"), new_staff(role="cashier", unit=unit_tree.lapas.pk))
    user = User.objects.get(username="kasir.baru")
    assert response.status_code == 302 and response.url == reverse("units:staff_detail", args=[user.pk])
    assert user.get_full_name() == "Siti Wattimena" and user.check_password("Sagu-Lempeng-Ambon-1")
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.unit, assignment.granted_by) == ("cashier", unit_tree.lapas, staff.lapas_admin)
    assert Client().post("/petugas/masuk/", {"username": "kasir.baru", "password": "Sagu-Lempeng-Ambon-1"}).status_code == 302


def test_unit_admin_cannot_create_for_another_unit_or_a_regional_admin(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    response = client.post(reverse("units:staff_create"), new_staff(role="cashier", unit=unit_tree.lpp.pk))
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in text_of(response)
    response = client.post(reverse("units:staff_create"), new_staff(role="regional_admin", unit=unit_tree.lapas.pk))
    assert response.status_code == 200
    assert not User.objects.filter(username="kasir.baru").exists()


def test_weak_initial_passwords_are_refused_in_indonesian(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    response = client.post(
        reverse("units:staff_create"),
        new_staff(role="officer", unit=unit_tree.lapas.pk, password1="12345678", password2="12345678"),
    )
    page = text_of(response)
    assert "Kata sandi terlalu pendek" in page and "seluruhnya terdiri dari angka" in page
    response = client.post(
        reverse("units:staff_create"),
        new_staff(role="officer", unit=unit_tree.lapas.pk, password1="kasir.baru1", password2="kasir.baru1"),
    )
    assert "terlalu mirip" in text_of(response)
    assert not User.objects.filter(username="kasir.baru").exists()


def test_duplicate_username_and_email_are_refused(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    response = client.post(
        reverse("units:staff_create"), new_staff(username="PETUGAS.lapas", role="officer", unit=unit_tree.lapas.pk)
    )
    assert "sudah dipakai" in text_of(response)
    response = client.post(
        reverse("units:staff_create"), new_staff(email=staff.lpp_officer.email.upper(), role="officer", unit=unit_tree.lapas.pk)
    )
    assert "Alamat email ini sudah dipakai" in text_of(response)


def test_create_and_send_a_link_instead_of_a_password(client, staff, unit_tree, login, django_capture_on_commit_callbacks):
    login(client, staff.lapas_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("units:staff_create"),
            new_staff(password_mode="link", password1="", password2="", role="officer", unit=unit_tree.lapas.pk),
        )
    assert response.status_code == 302
    user = User.objects.get(username="kasir.baru")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siti@contoh.go.id"]
    assert mail.outbox[0].subject == "Akun petugas Galeri Karya Anda"
    path = re.search(r"https?://testserver(/petugas/sandi/atur/\S+/)", mail.outbox[0].body).group(1)
    fresh = Client()
    form_url = fresh.get(path).url
    fresh.post(form_url, {"new_password1": "Sagu-Lempeng-Ambon-1", "new_password2": "Sagu-Lempeng-Ambon-1"})
    user.refresh_from_db()
    assert user.check_password("Sagu-Lempeng-Ambon-1")


def test_link_mode_needs_an_email(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    response = client.post(
        reverse("units:staff_create"),
        new_staff(email="", password_mode="link", password1="", password2="", role="officer", unit=unit_tree.lapas.pk),
    )
    assert "Isi alamat email" in text_of(response)
    assert mail.outbox == []


# --- Granting and revoking -------------------------------------------------------------------


def test_unit_admin_grants_and_revokes_on_their_unit(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    officer = staff.lapas_officer
    response = client.post(reverse("units:staff_grant", args=[officer.pk]), {"role": "cashier", "unit": unit_tree.lapas.pk})
    assert response.status_code == 302
    cashier = officer.role_assignments.get(role="cashier")
    assert cashier.granted_by == staff.lapas_admin
    response = client.post(reverse("units:staff_revoke", args=[officer.pk, cashier.pk]))
    assert response.status_code == 302
    assert list(officer.role_assignments.values_list("role", flat=True)) == ["officer"]


def test_unit_admin_cannot_grant_elsewhere_or_higher(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    officer = staff.lapas_officer
    client.post(reverse("units:staff_grant", args=[officer.pk]), {"role": "cashier", "unit": unit_tree.lpp.pk})
    client.post(reverse("units:staff_grant", args=[officer.pk]), {"role": "cashier", "unit": unit_tree.kanwil.pk})
    client.post(reverse("units:staff_grant", args=[officer.pk]), {"role": "regional_admin", "unit": unit_tree.lapas.pk})
    assert list(officer.role_assignments.values_list("role", flat=True)) == ["officer"]

    # The services refuse too, whatever a form would let through.
    with pytest.raises(StaffError):
        services.grant_role(staff.lapas_admin, officer, Role.REGIONAL_ADMIN, unit_tree.kanwil)
    with pytest.raises(StaffError, match="tidak berwenang"):
        services.grant_role(staff.lapas_admin, officer, Role.CASHIER, unit_tree.lpp)
    with pytest.raises(StaffError, match="tidak berwenang"):
        services.grant_role(staff.lapas_admin, officer, Role.CASHIER, unit_tree.kanwil)
    with pytest.raises(StaffError, match="Hanya Administrator Kanwil"):
        services.grant_role(staff.lapas_admin, officer, Role.REGIONAL_ADMIN, unit_tree.lapas)


def test_unit_admin_cannot_revoke_another_units_role(client, staff, unit_tree, login):
    other = RoleAssignment.objects.create(user=staff.lapas_officer, unit=unit_tree.lpp, role=Role.CASHIER)
    login(client, staff.lapas_admin)
    response = client.post(reverse("units:staff_revoke", args=[staff.lapas_officer.pk, other.pk]))
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()
    # Neither via another user's id: the assignment must belong to the person in the URL.
    own = staff.lapas_cashier.role_assignments.get()
    response = client.post(reverse("units:staff_revoke", args=[staff.lapas_officer.pk, own.pk]))
    assert response.status_code == 404


def test_regional_admin_grants_regional_admin_on_the_office_only(staff, unit_tree):
    officer = staff.lapas_officer
    assignment = services.grant_role(staff.regional, officer, Role.REGIONAL_ADMIN, unit_tree.kanwil)
    assert assignment.granted_by == staff.regional
    with pytest.raises(StaffError, match="hanya dapat diberikan pada kantor wilayah"):
        services.grant_role(staff.regional, officer, Role.REGIONAL_ADMIN, unit_tree.lapas)
    services.grant_role(staff.regional, officer, Role.UNIT_ADMIN, unit_tree.lpp)
    with pytest.raises(StaffError, match="sudah memegang"):
        services.grant_role(staff.regional, officer, Role.UNIT_ADMIN, unit_tree.lpp)


def test_regional_admin_cannot_reach_above_the_kanwil(staff, unit_tree):
    with pytest.raises(StaffError):
        services.grant_role(staff.regional, staff.lapas_officer, Role.OFFICER, unit_tree.ditjenpas)


def test_nobody_changes_their_own_roles(staff, unit_tree):
    with pytest.raises(StaffError):
        services.grant_role(staff.lapas_admin, staff.lapas_admin, Role.CASHIER, unit_tree.lapas)
    with pytest.raises(StaffError):
        services.revoke_role(staff.lapas_admin, staff.lapas_admin.role_assignments.get())
    with pytest.raises(StaffError):
        services.deactivate_staff(staff.lapas_admin, staff.lapas_admin)


def test_the_last_role_stays_deactivate_instead(client, staff, login):
    login(client, staff.lapas_admin)
    only = staff.lapas_cashier.role_assignments.get()
    response = client.post(reverse("units:staff_revoke", args=[staff.lapas_cashier.pk, only.pk]), follow=True)
    assert "Ini peran terakhir" in text_of(response)
    assert RoleAssignment.objects.filter(pk=only.pk).exists()


def test_a_revoked_role_stops_working_at_the_next_request(staff, unit_tree, login):
    officer = staff.lapas_officer
    extra = services.grant_role(staff.regional, officer, Role.UNIT_ADMIN, unit_tree.lapas)
    officer_client = login(Client(), officer)
    assert officer_client.get(reverse("units:staff_list")).status_code == 200
    services.revoke_role(staff.regional, extra)
    assert officer_client.get(reverse("units:staff_list")).status_code == 403


# --- Deactivating, editing -------------------------------------------------------------------


def test_deactivate_ends_access_and_reactivate_restores_it(client, staff, login):
    officer_client = login(Client(), staff.lapas_officer)
    assert officer_client.get(reverse("console:home")).status_code == 200
    login(client, staff.lapas_admin)
    response = client.post(reverse("units:staff_deactivate", args=[staff.lapas_officer.pk]))
    assert response.status_code == 302
    staff.lapas_officer.refresh_from_db()
    assert not staff.lapas_officer.is_active
    # The open session is over, and signing in again is refused.
    assert officer_client.get(reverse("console:home")).status_code == 302
    assert Client().post("/petugas/masuk/", {"username": "petugas.lapas", "password": PASSWORD}).status_code == 200
    # Still listed, as inactive.
    assert "Nonaktif" in text_of(client.get(reverse("units:staff_list"), {"status": "inactive"}))
    client.post(reverse("units:staff_reactivate", args=[staff.lapas_officer.pk]))
    assert Client().post("/petugas/masuk/", {"username": "petugas.lapas", "password": PASSWORD}).status_code == 302


def test_unit_admin_cannot_deactivate_someone_who_also_works_elsewhere(client, staff, unit_tree, login):
    RoleAssignment.objects.create(user=staff.lapas_officer, unit=unit_tree.lpp, role=Role.CASHIER)
    login(client, staff.lapas_admin)
    detail = text_of(client.get(reverse("units:staff_detail", args=[staff.lapas_officer.pk])))
    assert "Nonaktifkan akun" not in detail and "juga bertugas di luar unit Anda" in detail
    response = client.post(reverse("units:staff_deactivate", args=[staff.lapas_officer.pk]), follow=True)
    assert "di luar wewenang Anda" in text_of(response)
    staff.lapas_officer.refresh_from_db()
    assert staff.lapas_officer.is_active
    # The regional office can.
    services.deactivate_staff(staff.regional, staff.lapas_officer)


def test_unit_admin_cannot_touch_a_regional_admin(staff, unit_tree):
    RoleAssignment.objects.create(user=staff.regional, unit=unit_tree.lapas, role=Role.OFFICER)
    with pytest.raises(StaffError):
        services.deactivate_staff(staff.lapas_admin, staff.regional)
    with pytest.raises(StaffError):
        services.update_staff(staff.lapas_admin, staff.regional, full_name="X", email="x@contoh.go.id")


def test_edit_name_and_email(client, staff, login):
    login(client, staff.lapas_admin)
    url = reverse("units:staff_edit", args=[staff.lapas_officer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Yohanis Latuconsina", "email": "Yohanis@Contoh.go.id"})
    assert response.status_code == 302
    staff.lapas_officer.refresh_from_db()
    assert (staff.lapas_officer.first_name, staff.lapas_officer.email) == ("Yohanis Latuconsina", "yohanis@contoh.go.id")


def test_send_a_password_link_from_the_detail_page(client, staff, login, django_capture_on_commit_callbacks):
    login(client, staff.lapas_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("units:staff_send_link", args=[staff.lapas_officer.pk]))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.lapas_officer.email]


# --- Units ----------------------------------------------------------------------------------------


def test_only_the_regional_office_manages_units(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    assert client.get(reverse("units:unit_list")).status_code == 403
    assert client.get(reverse("units:unit_edit", args=[unit_tree.lapas.pk])).status_code == 403
    login(client, staff.regional)
    page = text_of(client.get(reverse("units:unit_list")))
    assert "Lapas Ambon" in page and "LPP Ambon" in page and "Ditjenpas" not in page
    assert client.get(reverse("units:unit_edit", args=[unit_tree.ditjenpas.pk])).status_code == 404


def unit_data(unit, **overrides):
    data = {
        f: getattr(unit, f) or ""
        for f in (
            "official_name short_name description address gallery_address city map_url phone whatsapp email "
            "opening_hours qris_payload bank_name bank_account_number bank_account_name"
        ).split()
    }
    data.update(overrides)
    return data


def qris(payload_without_crc):
    from galeri.units.forms import qris_crc

    body = payload_without_crc + "6304"
    return body + qris_crc(body)


def test_regional_admin_edits_contact_hours_qris_and_bank(client, staff, unit_tree, login):
    login(client, staff.regional)
    url = reverse("units:unit_edit", args=[unit_tree.lpp.pk])
    assert client.get(url).status_code == 200
    payload = qris("000201010211" + "5204581253033605802ID5913LPP AMBON UJI6005AMBON")
    response = client.post(
        url,
        unit_data(
            unit_tree.lpp,
            whatsapp="0812 4000 1234",
            opening_hours="Senin–Jumat 08.00–15.00 WIT",
            qris_payload=payload,
            bank_name="Bank Maluku",
            bank_account_number="0101-0000-77",
            bank_account_name="Galeri LPP Ambon",
        ),
    )
    assert response.status_code == 302, text_of(response)
    lpp = Unit.objects.get(pk=unit_tree.lpp.pk)
    assert lpp.whatsapp == "+6281240001234"
    assert (lpp.qris_payload, lpp.bank_name) == (payload, "Bank Maluku")
    assert lpp.path == unit_tree.lpp.path and lpp.kind == UnitKind.LPP


def test_a_damaged_qris_or_phone_is_refused(client, staff, unit_tree, login):
    login(client, staff.regional)
    url = reverse("units:unit_edit", args=[unit_tree.lpp.pk])
    good = qris("000201010211" + "5802ID5913LPP AMBON UJI")
    response = client.post(url, unit_data(unit_tree.lpp, qris_payload=good[:-1] + ("0" if good[-1] != "0" else "1")))
    assert "CRC QRIS tidak cocok" in text_of(response)
    response = client.post(url, unit_data(unit_tree.lpp, qris_payload="https://contoh.go.id/bayar"))
    assert "Ini bukan teks QRIS" in text_of(response)
    response = client.post(url, unit_data(unit_tree.lpp, whatsapp="0812"))
    assert "Nomor telepon tidak" in text_of(response)
