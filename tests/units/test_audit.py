"""The audit page: who changed what and when, before and after, scoped like everything else."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from galeri.console import audit
from galeri.units import services
from galeri.units.models import Role, RoleAssignment, Unit
from tests.helpers import PASSWORD, text_of

pytestmark = pytest.mark.django_db

AUDIT = "/petugas/audit/"


def test_a_role_grant_through_the_console_shows_with_before_and_after(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    client.post(reverse("units:staff_grant", args=[staff.lapas_officer.pk]), {"role": "cashier", "unit": unit_tree.lapas.pk})
    row = RoleAssignment.history.filter(role="cashier", user=staff.lapas_officer).get()
    assert row.history_user == staff.lapas_admin  # recorded from the request

    entries, _ = audit.page(staff.lapas_admin)
    grant = next(e for e in entries if e.row == row)
    assert grant.actor == staff.lapas_admin
    assert str(grant.action) == "dibuat"
    assert grant.title == "petugas.lapas · Kasir galeri · Lapas Ambon"
    changes = {c.field: (c.before, c.after) for c in grant.changes}
    assert changes["peran"] == ("—", "Kasir galeri")
    assert changes["unit"] == ("—", "Lapas Ambon")

    page = text_of(client.get(AUDIT))
    assert "Peran petugas dibuat" in page
    assert "petugas.lapas · Kasir galeri · Lapas Ambon" in page
    assert "Nama admin.lapas" in page  # who


def test_revoking_shows_what_was_taken_away(client, staff, unit_tree, login):
    extra = services.grant_role(staff.regional, staff.lapas_officer, Role.CASHIER, unit_tree.lapas)
    login(client, staff.regional)
    client.post(reverse("units:staff_revoke", args=[staff.lapas_officer.pk, extra.pk]))
    entries, _ = audit.page(staff.regional, source_key="units.roleassignment")
    revoked = entries[0]
    assert str(revoked.action) == "dihapus" and revoked.actor == staff.regional
    assert {c.field: (c.before, c.after) for c in revoked.changes}["peran"] == ("Kasir galeri", "—")


def test_an_account_change_shows_before_and_after_and_never_a_hash(client, staff, login):
    login(client, staff.lapas_admin)
    client.post(
        reverse("units:staff_edit", args=[staff.lapas_officer.pk]),
        {"full_name": "Yohanis Latuconsina", "email": "yohanis@contoh.go.id"},
    )
    login(client, staff.lapas_officer)
    client.post(
        reverse("units:password_change"),
        {"old_password": PASSWORD, "new_password1": "Tenun-Ikat-Tanimbar-9", "new_password2": "Tenun-Ikat-Tanimbar-9"},
    )
    login(client, staff.lapas_admin)
    response = client.get(AUDIT, {"jenis": "auth.user"})
    page = text_of(response)
    assert "Nama petugas.lapas" in page and "Yohanis Latuconsina" in page
    assert "petugas.lapas@contoh.go.id → menjadi yohanis@contoh.go.id" in page
    assert "Kata sandi diganti" in page
    html = response.content.decode()
    password = User.objects.get(pk=staff.lapas_officer.pk).password
    assert password.split("$")[-1] not in html
    assert "md5$" not in html and "pbkdf2" not in html


def test_unit_changes_are_audited_for_the_unit_too(client, staff, unit_tree, login):
    lapas = Unit.objects.get(pk=unit_tree.lapas.pk)
    lapas.bank_account_number = "0101-0000-77"
    services.save_unit(lapas, actor=staff.regional)
    login(client, staff.lapas_admin)
    page = text_of(client.get(AUDIT, {"jenis": "units.unit"}))
    assert "Nomor rekening — → menjadi 0101-0000-77" in page
    login(client, staff.lpp_admin)
    assert "0101-0000-77" not in text_of(client.get(AUDIT))


def test_other_units_changes_are_not_shown(client, staff, unit_tree, login):
    services.grant_role(staff.regional, staff.lpp_officer, Role.CASHIER, unit_tree.lpp)
    services.grant_role(staff.regional, staff.lapas_officer, Role.CASHIER, unit_tree.lapas)
    login(client, staff.lapas_admin)
    page = text_of(client.get(AUDIT))
    assert "petugas.lapas · Kasir galeri · Lapas Ambon" in page
    assert "LPP Ambon" not in page and "petugas.lpp" not in page

    login(client, staff.regional)
    page = text_of(client.get(AUDIT))
    assert "petugas.lapas · Kasir galeri · Lapas Ambon" in page
    assert "petugas.lpp · Kasir galeri · LPP Ambon" in page
    page = text_of(client.get(AUDIT, {"unit": unit_tree.lpp.pk}))
    assert "LPP Ambon" in page and "petugas.lapas · Kasir" not in page


def test_the_unit_filter_offers_only_reachable_units(client, staff, unit_tree, login):
    login(client, staff.lapas_admin)
    response = client.get(AUDIT, {"unit": unit_tree.lpp.pk})
    form = response.context["filters"]
    assert [u.pk for u in form.fields["unit"].queryset] == [unit_tree.lapas.pk]
    assert not form.is_valid()  # LPP is not a choice: the filter is dropped, scope stays


def test_officers_and_cashiers_have_no_audit_page(client, staff, login):
    for user in (staff.lapas_officer, staff.lapas_cashier):
        login(client, user)
        assert client.get(AUDIT).status_code == 403


def test_paging_and_query_count(client, staff, unit_tree, login, django_assert_max_num_queries):
    for n in range(60):
        user = User.objects.create_user(f"kasir{n}", password=None)
        services.grant_role(staff.regional, user, Role.CASHIER, unit_tree.lapas)
    login(client, staff.regional)
    with django_assert_max_num_queries(25):
        first = client.get(AUDIT)
    assert first.context["has_next"]
    assert len(first.context["entries"]) == 50
    second = client.get(AUDIT, {"halaman": 2})
    seen = {(e.source.key, e.row.history_id) for e in first.context["entries"]}
    assert not seen & {(e.source.key, e.row.history_id) for e in second.context["entries"]}
    assert len(second.context["entries"]) > 0
    assert client.get(AUDIT, {"halaman": "x"}).status_code == 200


def test_every_registered_source_exists_and_scopes(staff):
    """A source with a model that no longer exists, or a unit lookup that fails, breaks here."""
    for source in audit.sources():
        list(source.rows(staff.regional)[:1])
        list(source.rows(staff.lapas_admin)[:1])
    assert {s.key for s in audit.sources()} >= {"units.roleassignment", "auth.user", "units.unit"}
