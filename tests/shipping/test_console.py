"""The shipping console: the unit's administrator keeps the settings and the kecamatan zones."""

import pytest
from django.urls import reverse

from galeri.core import clock
from galeri.shipping import selectors
from galeri.shipping.models import ShippingSettings, ShippingZone
from tests.shipping.kit import SIRIMAU, TENUN

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(staff, signed_in):
    return signed_in(staff.lapas_admin)


def test_the_unit_admin_adds_edits_and_deletes_a_zone(admin, upt):
    url = reverse("shipping_console:zones", args=[upt.pk])
    response = admin.post(url, {"district_code": "81.71.01", "name": "Nusaniwe", "fee": "20000", "days": "1"})
    assert response.status_code == 302
    zone = ShippingZone.objects.get(unit=upt)
    assert (zone.district_code, zone.name, zone.fee, zone.days) == ("81.71.01", "Nusaniwe", 20_000, 1)
    page = admin.get(url).content.decode()
    assert "Nusaniwe" in page and "Rp 20.000" in page

    edit = reverse("shipping_console:zone_edit", args=[zone.pk])
    admin.post(edit, {"district_code": "81.71.01", "name": "Nusaniwe", "fee": "22500", "days": "0"})
    zone.refresh_from_db()
    assert (zone.fee, zone.days) == (22_500, 0)
    assert "hari yang sama" in admin.get(url).content.decode()

    delete = reverse("shipping_console:zone_delete", args=[zone.pk])
    assert "Hapus zona Nusaniwe?" in admin.get(delete).content.decode()
    assert ShippingZone.objects.filter(pk=zone.pk).exists()  # GET asks, only POST deletes
    admin.post(delete)
    assert not ShippingZone.objects.filter(pk=zone.pk).exists()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"district_code": "Sirimau", "name": "Sirimau", "fee": "15000", "days": "1"}, "kode kecamatan Kemendagri"),
        ({"district_code": "81.71.02", "name": "Sirimau", "fee": "-5", "days": "1"}, "lebih besar dari atau sama dengan 0"),
        ({"district_code": "81.71.02", "name": "", "fee": "15000", "days": "1"}, "tidak boleh kosong"),
    ],
    ids=["name-for-code", "negative-fee", "no-name"],
)
def test_bad_zones_are_refused_with_a_message_and_nothing_saved(admin, upt, data, message):
    response = admin.post(reverse("shipping_console:zones", args=[upt.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ShippingZone.objects.exists()


def test_a_kecamatan_has_one_zone_per_unit(admin, upt):
    url = reverse("shipping_console:zones", args=[upt.pk])
    admin.post(url, {"district_code": "81.71.02", "name": "Sirimau", "fee": "15000", "days": "1"})
    response = admin.post(url, {"district_code": "81.71.02", "name": "Sirimau lagi", "fee": "9000", "days": "1"})
    assert response.status_code == 400
    assert "Kecamatan 81.71.02 sudah punya zona antar" in response.content.decode()
    assert list(ShippingZone.objects.values_list("name", flat=True)) == ["Sirimau"]


def test_the_unit_admin_edits_the_shipping_settings(admin, upt):
    url = reverse("shipping_console:settings", args=[upt.pk])
    assert admin.get(url).status_code == 200
    data = {
        "pickup_enabled": "on",
        "couriers_enabled": "on",
        "origin_area_code": "81.71.03",
        "origin_postal_code": "97231",
        "origin_provider_id": "",
        "couriers": "JNE, pos ,sicepat",
        "packing_days": "2",
    }
    assert admin.post(url, data).status_code == 302
    saved = ShippingSettings.objects.get(unit=upt)
    assert saved.couriers == "jne,pos,sicepat" and saved.courier_codes == ["jne", "pos", "sicepat"]
    assert saved.packing_days == 2 and not saved.own_delivery_enabled and not saved.staff_quote_enabled
    home = admin.get(reverse("shipping_console:home")).content.decode()
    assert "jne,pos,sicepat" in home


@pytest.mark.parametrize(
    "change,message",
    [
        ({"origin_postal_code": "9723"}, "5 angka"),
        ({"origin_area_code": "Baguala"}, "kode wilayah Kemendagri"),
        ({"origin_area_code": "", "origin_postal_code": ""}, "agar ongkir kurir bisa dihitung"),
        ({"couriers": "jne;pos"}, "dipisah koma"),
        ({"packing_days": "30"}, "lebih kecil dari atau sama dengan 14"),
    ],
    ids=["short-postal", "name-for-code", "no-origin", "bad-courier-list", "too-many-days"],
)
def test_bad_settings_are_refused(admin, upt, change, message):
    data = {
        "couriers_enabled": "on",
        "origin_area_code": "81.71.03",
        "origin_postal_code": "97231",
        "couriers": "jne",
        "packing_days": "1",
    }
    data.update(change)
    response = admin.post(reverse("shipping_console:settings", args=[upt.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ShippingSettings.objects.exists()


def test_officers_and_cashiers_do_not_reach_the_shipping_console(staff, signed_in, upt):
    for user in (staff.lapas_officer, staff.lapas_cashier):
        assert signed_in(user).get(reverse("shipping_console:home")).status_code == 403


def test_a_unit_admin_reaches_only_their_own_unit(staff, signed_in, unit_tree):
    client = signed_in(staff.lpp_admin)
    assert client.get(reverse("shipping_console:zones", args=[unit_tree.lapas.pk])).status_code == 404
    home = client.get(reverse("shipping_console:home")).content.decode()
    assert "LPP Ambon" in home and "Lapas Ambon" not in home


def test_the_regional_admin_sees_every_upt_not_the_offices(staff, signed_in, unit_tree):
    home = signed_in(staff.regional).get(reverse("shipping_console:home")).content.decode()
    assert all(u.short_name in home for u in unit_tree.upts)
    assert "Kanwil Maluku</h2>" not in home


def test_settings_change_what_buyers_are_offered(admin, upt):
    admin.post(
        reverse("shipping_console:zones", args=[upt.pk]),
        {"district_code": "81.71.02", "name": "Sirimau", "fee": "15000", "days": "1"},
    )
    found = selectors.delivery_options(upt, SIRIMAU, [TENUN], now=clock.now())
    assert found.get("zone:81.71.02").price == 15_000
