"""The Kanwil administrator's log of who read or changed which participant's restricted fields."""

import datetime

import pytest
from django.test import Client

from galeri.production import services
from galeri.production.models import AccessPurpose, PersonalDataAccess
from galeri.units.models import Role, UnitKind
from tests.helpers import read_export, text_of

pytestmark = pytest.mark.django_db

URL = "/petugas/audit/data-pribadi/"
WIT = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture
def other_region(make_unit, unit_tree):
    kanwil = make_unit(kind=UnitKind.KANWIL, parent=unit_tree.ditjenpas, short_name="Kanwil Papua", code="KWP")
    lapas = make_unit(kind=UnitKind.LAPAS, parent=kanwil, short_name="Lapas Jayapura", code="LPJ")
    return kanwil, lapas


@pytest.fixture
def reads(unit_tree, staff, make_staff, make_participant, other_region, time_machine):
    """Reads and a change in Lapas Ambon and LPP Ambon (Kanwil Maluku) and one in Kanwil Papua."""
    time_machine.move_to(datetime.datetime(2026, 12, 30, 9, 0, tzinfo=WIT), tick=False)
    lapas_p = make_participant(unit_tree.lapas, "Y.M.")
    services.set_personal(lapas_p, staff.lapas_officer, full_name="Yohanis Matulessy", reason="data awal")
    lpp_p = make_participant(unit_tree.lpp, "M.L.")
    time_machine.move_to(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIT), tick=False)
    services.read_personal(lpp_p, staff.lpp_officer, reason="cek premi")
    papua_officer = make_staff(Role.OFFICER, other_region[1], "petugas.jayapura")
    papua_p = make_participant(other_region[1], "Z.Z.")
    services.read_personal(papua_p, papua_officer, reason="rahasia-papua")
    return lapas_p, lpp_p, papua_p


def test_the_kanwil_admin_sees_who_read_whom_and_when_in_its_region_only(reads, staff, signed_in):
    lapas_p, lpp_p, _papua = reads
    response = signed_in(staff.regional).get(URL)
    assert response.status_code == 200
    page = text_of(response)
    assert f"{lapas_p.code} (Y.M.)" in page and f"{lpp_p.code} (M.L.)" in page
    assert "petugas.lapas" in page and "petugas.lpp" in page
    assert "cek premi" in page and "Dilihat" in page and "Diubah" in page
    assert "nama lengkap, nomor register, status" in page
    assert "31 Des 2026 23.30" in page or "31 Dec 2026 23.30" in page
    assert "rahasia-papua" not in page and "Z.Z." not in page
    assert "Yohanis" not in page  # the log names the participant by code, never by name


def test_filters_by_unit_user_purpose_and_date(reads, staff, signed_in, unit_tree):
    client = signed_in(staff.regional)
    assert "cek premi" not in text_of(client.get(URL, {"unit": unit_tree.lapas.pk}))
    assert "cek premi" in text_of(client.get(URL, {"unit": unit_tree.lpp.pk}))
    assert "data awal" not in text_of(client.get(URL, {"petugas": "petugas.lpp"}))
    assert "cek premi" not in text_of(client.get(URL, {"keperluan": AccessPurpose.EDIT}))
    day = text_of(client.get(URL, {"dari": "2026-12-31", "sampai": "2026-12-31"}))
    assert "cek premi" in day and "data awal" not in day
    # Bad input: a clear message, never a 500.
    response = client.get(URL, {"dari": "2026-12-31", "sampai": "2026-12-01", "unit": "x", "hal": "zz"})
    assert response.status_code == 200 and "sebelum tanggal awal" in text_of(response)


def test_export_and_pages(reads, staff, signed_in, unit_tree, make_participant):
    client = signed_in(staff.regional)
    rows = read_export(client.get(URL, {"format": "csv", "unit": unit_tree.lpp.pk}))
    assert rows[0][:3] == ["Waktu (WIT)", "Unit", "Peserta"]
    assert len(rows) == 2 and rows[1][1] == unit_tree.lpp.code and rows[1][3] == "petugas.lpp"
    p = make_participant(unit_tree.lapas, "A.A.")
    for _ in range(55):
        services.read_personal(p, staff.lapas_admin)
    first, second = client.get(URL), client.get(URL, {"hal": 2})
    assert first.content.decode().count("data-access-row") == 50
    assert second.content.decode().count("data-access-row") == 55 + 2 - 50


@pytest.mark.parametrize("who", ["lapas_admin", "lapas_officer", "lapas_cashier", "lpp_admin"])
def test_other_roles_cannot_open_it(reads, staff, signed_in, who):
    assert signed_in(getattr(staff, who)).get(URL).status_code == 403


def test_the_other_regions_admin_sees_only_its_own(reads, other_region, make_staff, signed_in):
    papua_admin = make_staff(Role.REGIONAL_ADMIN, other_region[0], "admin.papua")
    page = text_of(signed_in(papua_admin).get(URL))
    assert "rahasia-papua" in page and "cek premi" not in page and "Y.M." not in page


def test_anonymous_and_unverified_are_sent_away(reads, staff, login):
    assert Client().get(URL).url.startswith("/petugas/masuk/")
    assert login(Client(), staff.regional, verified=False).get(URL).url.startswith("/petugas/akun/verifikasi/")


def test_every_view_of_the_restricted_page_writes_a_row(reads, staff, signed_in):
    lapas_p = reads[0]
    before = PersonalDataAccess.objects.filter(participant=lapas_p).count()
    client = signed_in(staff.lapas_officer)
    assert client.get(f"/petugas/produksi/peserta/{lapas_p.pk}/data-pribadi/").status_code == 200
    assert PersonalDataAccess.objects.filter(participant=lapas_p).count() == before + 1
    # The participant's ordinary page shows no restricted field and writes no row.
    assert "Yohanis" not in text_of(client.get(f"/petugas/produksi/peserta/{lapas_p.pk}/"))
    assert PersonalDataAccess.objects.filter(participant=lapas_p).count() == before + 1
