"""Tills managed in the console (``pos.tills``), the page of a cashier without a till, the receipt's
original and copies (counted server side), the till's paper and prefix on its receipts, the quick
cash buttons and the live name search's htmx attributes."""

import re

import pytest
from django.urls import reverse

from galeri.pos import services, tills
from galeri.pos.models import Sale, Till
from galeri.pos.services import PosError
from galeri.pos.views import quick_cash
from galeri.units.models import Role
from tests.helpers import run_threads
from tests.pos.helpers import sell, take

pytestmark = pytest.mark.django_db


def _pre(html):
    return html.split("<pre")[1].split("</pre>")[0]


# --- Managing tills --------------------------------------------------------------------------------


def test_the_unit_administrator_creates_renames_and_retires_a_till(client, login, places, make_staff):
    admin = make_staff(Role.UNIT_ADMIN, places.lapas.unit, "admin.lapas")
    login(client, admin)
    page = client.get(reverse("pos:tills"))
    assert page.status_code == 200 and "Kasir baru" in page.content.decode()
    assert f'<option value="{places.rutan.galeri.pk}"' not in page.content.decode()  # only the unit's own locations
    response = client.post(
        reverse("pos:tills"),
        {"name": "  Kasir  Pameran ", "location": places.lapas.galeri.pk, "paper": "80", "receipt_prefix": "pm"},
    )
    assert response.status_code == 302
    till = Till.objects.get()
    assert (till.unit, till.name, till.location, till.paper, till.receipt_prefix, till.is_active) == (
        places.lapas.unit,
        "Kasir Pameran",
        places.lapas.galeri,
        80,
        "PM",
        True,
    )
    edit = reverse("pos:till_edit", kwargs={"pk": till.pk})
    response = client.post(
        edit, {"name": "Kasir Depan", "location": places.lapas.galeri.pk, "paper": "58", "receipt_prefix": "KD"}
    )
    assert response.status_code == 302
    till.refresh_from_db()
    assert (till.name, till.paper, till.receipt_prefix) == ("Kasir Depan", 58, "KD")
    assert client.post(edit, {"action": "retire"}).status_code == 302
    till.refresh_from_db()
    assert not till.is_active and Till.objects.count() == 1  # retired, never deleted
    assert "Nonaktif" in client.get(reverse("pos:tills")).content.decode()
    assert client.post(edit, {"action": "activate"}).status_code == 302
    assert Till.objects.get().is_active


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"name": "   "}, "Beri nama kasir"),
        ({"name": "Kasir 1"}, "Sudah ada kasir bernama “Kasir 1”"),
        ({"name": "kasir 1"}, "Sudah ada kasir bernama"),
        ({"location": "rutan"}, "lokasi jual milik unit ini"),
        ({"location": "gudang"}, "lokasi jual milik unit ini"),
        ({"location": "abc"}, "lokasi jual milik unit ini"),
        ({"paper": "70"}, "58 atau 80 mm"),
        ({"receipt_prefix": "K1"}, "1 sampai 4 huruf"),
        ({"receipt_prefix": ""}, "1 sampai 4 huruf"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(client, login, counter, places, fields, message):
    login(client, counter.admin)
    data = {"name": "Kasir Baru", "location": places.lapas.galeri.pk, "paper": "80", "receipt_prefix": "K"}
    data.update(fields)
    locations = {"rutan": places.rutan.galeri.pk, "gudang": places.lapas.gudang.pk}
    data["location"] = locations.get(data["location"], data["location"])
    before = list(Till.objects.order_by("pk").values())
    response = client.post(reverse("pos:tills"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert list(Till.objects.order_by("pk").values()) == before
    # the same on a till's page: nothing changes
    response = client.post(reverse("pos:till_edit", kwargs={"pk": counter.till2.pk}), data)
    assert response.status_code == 400 and message.split("“")[0] in response.content.decode()
    assert list(Till.objects.order_by("pk").values()) == before


def test_an_administrator_of_lapas_cannot_see_or_change_rutans_tills(client, login, places, make_staff):
    rutan_till = tills.create_till(places.rutan.unit, places.rutan.galeri, "Kasir Rutan")
    lapas_admin = make_staff(Role.UNIT_ADMIN, places.lapas.unit)
    login(client, lapas_admin)
    assert "Kasir Rutan" not in client.get(reverse("pos:tills")).content.decode()
    edit = reverse("pos:till_edit", kwargs={"pk": rutan_till.pk})
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"action": "retire"}).status_code == 404
    assert (
        client.post(
            edit, {"name": "Punya Lapas", "location": places.lapas.galeri.pk, "paper": "58", "receipt_prefix": "K"}
        ).status_code
        == 404
    )
    # a unit id of another unit in the create form is refused too
    response = client.post(
        reverse("pos:tills"),
        {"unit": places.rutan.unit.pk, "name": "X", "location": places.rutan.galeri.pk, "paper": "58", "receipt_prefix": "K"},
    )
    assert response.status_code == 400
    rutan_till.refresh_from_db()
    assert (rutan_till.name, rutan_till.is_active, Till.objects.count()) == ("Kasir Rutan", True, 1)
    with pytest.raises(Exception):
        tills.set_till_active(rutan_till, user=lapas_admin, active=False)


def test_the_kanwil_administrator_manages_tills_of_every_unit_under_it(client, login, places, make_staff, unit_tree):
    regional = make_staff(Role.REGIONAL_ADMIN, unit_tree.kanwil)
    login(client, regional)
    response = client.post(
        reverse("pos:tills"),
        {
            "unit": places.rutan.unit.pk,
            "name": "Kasir Rutan",
            "location": places.rutan.galeri.pk,
            "paper": "80",
            "receipt_prefix": "R",
        },
    )
    assert response.status_code == 302 and Till.objects.get().unit == places.rutan.unit
    # a location of another unit than the chosen one is refused
    response = client.post(
        reverse("pos:tills"),
        {
            "unit": places.lpp.unit.pk,
            "name": "Kasir LPP",
            "location": places.rutan.galeri.pk,
            "paper": "80",
            "receipt_prefix": "R",
        },
    )
    assert response.status_code == 400 and Till.objects.count() == 1


def test_a_cashier_cannot_manage_tills(client, login, counter):
    login(client, counter.cashier)
    assert client.get(reverse("pos:tills")).status_code == 403
    assert client.post(reverse("pos:till_edit", kwargs={"pk": counter.till.pk}), {"action": "retire"}).status_code == 403
    assert Till.objects.get(pk=counter.till.pk).is_active
    assert reverse("pos:tills") not in client.get(reverse("pos:home")).content.decode()
    with pytest.raises(Exception):
        tills.update_till(counter.till, user=counter.cashier, name="X", location=counter.location, paper=58, receipt_prefix="K")


def test_a_till_with_an_open_session_is_not_retired_and_a_retired_till_does_not_open(counter, open_till):
    session = open_till()
    with pytest.raises(PosError, match="sesi yang terbuka"):
        tills.set_till_active(counter.till, user=counter.admin, active=False)
    services.close_session(session, counted_cash=200_000, user=counter.cashier)
    tills.set_till_active(counter.till, user=counter.admin, active=False)
    with pytest.raises(PosError, match="tidak dipakai"):
        services.open_session(counter.till, user=counter.cashier, opening_float=0)


def test_pages_of_tills_make_a_bounded_number_of_queries(client, login, counter, places, django_assert_max_num_queries):
    for i in range(5):
        tills.create_till(counter.unit, places.lapas.galeri, f"Kasir Tambahan {i}")
    login(client, counter.admin)
    client.get(reverse("pos:tills"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pos:tills")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pos:till_edit", kwargs={"pk": counter.till.pk})).status_code == 200


# --- A cashier whose unit has no till ---------------------------------------------------------------


def test_a_cashier_without_a_till_is_told_who_can_create_one(client, login, places, make_staff):
    cashier = make_staff(Role.CASHIER, places.lpp.unit)
    admin = make_staff(Role.UNIT_ADMIN, places.lpp.unit, "admin.lpp")
    admin.first_name, admin.last_name = "Maria", "Latuheru"
    admin.save()
    make_staff(Role.UNIT_ADMIN, places.rutan.unit, "admin.rutan")
    retired = tills.create_till(places.lpp.unit, places.lpp.galeri, "Kasir Lama")
    tills.set_till_active(retired, user=None, active=False)
    login(client, cashier)
    html = client.get(reverse("pos:home")).content.decode()
    assert "Belum ada kasir yang aktif" in html and "Administrator UPT" in html
    assert "Maria Latuheru (admin.lpp)" in html and "admin.rutan" not in html and "Kasir Lama" not in html
    login(client, admin)
    html = client.get(reverse("pos:home")).content.decode()
    assert reverse("pos:tills") in html and "Buat kasir" in html


# --- Original and copies of a receipt -------------------------------------------------------------------


def test_the_first_print_is_the_original_and_later_ones_are_copies(client, login, counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5, name="Tas Anyaman Pandan", price=150_000)
    sales = [sell(session, counter.cashier, [(bag, 1)]) for _ in range(3)]
    login(client, counter.cashier)
    for sale, kind in zip(sales, ("receipt", "receipt_pdf", "receipt_escpos")):
        urls = [reverse(f"pos:{k}", kwargs={"pk": sale.pk}) for k in (kind, "receipt", "receipt_escpos")]
        first, second, third = (client.get(url) for url in urls)
        if kind == "receipt":
            assert "SALINAN" not in _pre(first.content.decode())
        elif kind == "receipt_escpos":
            assert b"SALINAN" not in first.content
        assert "SALINAN" in _pre(second.content.decode()) and b"SALINAN" in third.content
        sale.refresh_from_db()
        assert sale.first_printed_at is not None and sale.print_count == 3
    # the original of the screen receipt, even when asked with the old ?baru=1 twice
    fresh = sell(session, counter.cashier, [(bag, 1)])
    url = reverse("pos:receipt", kwargs={"pk": fresh.pk}) + "?baru=1"
    assert "SALINAN" not in _pre(client.get(url).content.decode())
    assert "SALINAN" in _pre(client.get(url).content.decode())


def test_a_counter_payments_first_print_is_the_original(client, login, counter, open_till):
    session = open_till()
    payment = take(session, counter.cashier, 20_000, payable_id=1, label="Jasa cukur")
    login(client, counter.cashier)
    first = client.get(reverse("pos:payment_receipt_escpos", kwargs={"pk": payment.pk})).content
    second = client.get(reverse("pos:payment_receipt", kwargs={"pk": payment.pk})).content.decode()
    assert b"SALINAN" not in first and "SALINAN" in _pre(second)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_prints_make_one_original(counter, open_till, stocked):
    session = open_till()
    bag = stocked(counter.location, 5, price=10_000)
    sale = sell(session, counter.cashier, [(bag, 1)])
    results = run_threads(6, lambda i: services.record_print(Sale.objects.get(pk=sale.pk)))
    assert sorted(results) == [False] * 5 + [True]
    sale.refresh_from_db()
    assert sale.print_count == 6


# --- The till's paper and prefix on its receipts --------------------------------------------------------


def test_the_tills_paper_and_prefix_are_on_its_receipts_and_numbers_stay_gapless_per_unit(
    client, login, counter, open_till, stocked
):
    tills.update_till(counter.till, user=counter.admin, name="Kasir 1", location=counter.location, paper=80, receipt_prefix="GA")
    tills.update_till(counter.till2, user=counter.admin, name="Kasir 2", location=counter.location, paper=58, receipt_prefix="GB")
    bag = stocked(counter.location, 5, price=10_000)
    one = sell(open_till(counter.till), counter.cashier, [(bag, 1)])
    two = sell(open_till(counter.till2, user=counter.admin), counter.admin, [(bag, 1)])
    assert (one.receipt_code, two.receipt_code) == ("LPA-GA000001", "LPA-GB000002")
    login(client, counter.cashier)
    page = client.get(reverse("pos:receipt", kwargs={"pk": one.pk})).content.decode()
    assert "paper-80" in page and "LPA-GA000001" in page
    assert "paper-58" in client.get(reverse("pos:receipt", kwargs={"pk": two.pk})).content.decode()
    # a later prefix change leaves the receipts made as they were; the return search finds both forms
    tills.update_till(counter.till, user=counter.admin, name="Kasir 1", location=counter.location, paper=80, receipt_prefix="X")
    one.refresh_from_db()
    assert one.receipt_code == "LPA-GA000001"
    login(client, counter.admin)
    for text in ("LPA-GA000001", "GA000001", "1"):
        response = client.get(reverse("pos:refund_find"), {"struk": text})
        assert response.status_code == 302 and response["Location"] == reverse("pos:refund", kwargs={"pk": one.pk})


# --- The sell screen ---------------------------------------------------------------------------------------


def test_quick_cash_is_computed_from_the_total():
    assert quick_cash(0) == []
    assert quick_cash(175_000) == [180_000, 200_000]
    assert quick_cash(23_000) == [25_000, 30_000, 40_000, 50_000]
    assert quick_cash(100_000) == []  # uang pas only


def test_the_sell_screen_shows_quick_cash_by_the_total_and_the_search_does_not_inherit_the_forms_select(
    client, login, counter, open_till, stocked
):
    session = open_till()
    stocked(counter.location, 5, sku="TAS-1", price=23_000)
    login(client, counter.cashier)
    client.post(reverse("pos:add", kwargs={"pk": session.pk}), {"code": "TAS-1"})
    html = client.get(reverse("pos:sell", kwargs={"pk": session.pk})).content.decode()
    box = html.split('class="pos-totalbox"')[1].split("</div>\n    </div>")[0]
    assert 'data-tender="23000"' in box and 'data-tender="25000"' in box and 'data-tender="50000"' in box
    code_field = re.search(r'<input id="pos-code"[^>]*>', html, re.S).group(0)
    assert 'hx-select="unset"' in code_field  # else the matches are filtered through #pos and never appear
    assert "F2" in html and "F9" in html
