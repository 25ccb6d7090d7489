"""The stock pages of the console: who sees what, forms, flows, bounded queries, valid HTML."""

import datetime
import re

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from galeri.catalog.models import CategoryKind
from galeri.inventory import services, stocktaking
from galeri.inventory.models import Reason, StockLevel, StockLocation, StockMovement, Stocktake, StocktakeStatus

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "inventory:levels",
    "inventory:movements",
    "inventory:alerts",
    "inventory:locations",
    "inventory:receive",
    "inventory:adjust",
    "inventory:transfer",
    "inventory:stocktake_list",
]


def assert_valid_html(content):
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


def unlabelled_fields(html):
    problems = []
    for match in re.finditer(r"<(input|select|textarea)\b([^>]*)>", html):
        attrs = match.group(2)
        if re.search(r'type="(hidden|submit)"', attrs) or "aria-label=" in attrs:
            continue
        field_id = re.search(r'\bid="([^"]+)"', attrs)
        wrapped = html.rfind("<label", 0, match.start()) > html.rfind("</label>", 0, match.start())
        if not wrapped and not (field_id and f'for="{field_id.group(1)}"' in html):
            problems.append(match.group(0)[:80])
    return problems


def option_values(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}


@pytest.fixture
def world(places, stocked, make_product, category):
    """Stock in Lapas (LPA) and in LPP, a stocktake in each."""
    lapas_bag = stocked(places.lapas.galeri, 8, name="Tas Anyaman Lapas", sku="LPA-TAS", barcode="899000111")
    services.receive(lapas_bag, places.lapas.gudang, 4, reason=Reason.INITIAL)
    lpp_cake = stocked(places.lpp.galeri, 6, name="Kue Bagea LPP", sku="LPP-KUE")
    services.adjust(lpp_cake, places.lpp.galeri, -1, Reason.DAMAGED, note="Kemasan LPP sobek")
    return {
        "lapas_bag": lapas_bag,
        "lpp_cake": lpp_cake,
        "lapas_count": stocktaking.start_stocktake(places.lapas.galeri),
        "lpp_count": stocktaking.start_stocktake(places.lpp.galeri),
    }


@pytest.mark.parametrize("name", LIST_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("units:login") in response["Location"]


@pytest.mark.parametrize("name", LIST_URLS)
def test_pages_render_valid_accessible_html_without_inline_script(client, login, staff, world, name):
    login(client, staff.lapas_officer)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_valid_html(response.content)
    html = response.content.decode()
    assert unlabelled_fields(html) == []
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert " style=" not in html and "onclick" not in html


def test_object_pages_render_valid_html(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    for url in [
        reverse("inventory:location_edit", args=[places.lapas.galeri.pk]),
        reverse("inventory:stocktake_detail", args=[world["lapas_count"].pk]),
        reverse("inventory:stocktake_sheet", args=[world["lapas_count"].pk]),
        reverse("inventory:movements") + f"?product={world['lapas_bag'].pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_valid_html(response.content)
        assert unlabelled_fields(response.content.decode()) == [], url


# --- Scoping ------------------------------------------------------------------------


def test_an_officer_of_lapas_never_sees_lpp_stock(client, login, staff, world):
    login(client, staff.lapas_officer)
    for name in (
        "inventory:levels",
        "inventory:movements",
        "inventory:locations",
        "inventory:alerts",
        "inventory:stocktake_list",
    ):
        html = client.get(reverse(name)).content.decode()
        assert "LPP" not in html, name
        assert "Kue Bagea" not in html and "Kemasan LPP" not in html, name
    html = client.get(reverse("inventory:levels")).content.decode()
    assert "Tas Anyaman Lapas" in html


def test_lpp_objects_are_404_for_an_officer_of_lapas(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    lpp_count = world["lpp_count"]
    assert client.get(reverse("inventory:location_edit", args=[places.lpp.galeri.pk])).status_code == 404
    assert client.post(reverse("inventory:location_edit", args=[places.lpp.galeri.pk]), {"name": "x"}).status_code == 404
    assert client.get(reverse("inventory:stocktake_detail", args=[lpp_count.pk])).status_code == 404
    assert client.get(reverse("inventory:stocktake_sheet", args=[lpp_count.pk])).status_code == 404
    assert client.post(reverse("inventory:stocktake_post", args=[lpp_count.pk])).status_code == 404
    assert client.post(reverse("inventory:stocktake_cancel", args=[lpp_count.pk])).status_code == 404
    assert client.get(reverse("inventory:movements") + f"?product={world['lpp_cake'].pk}").status_code == 404
    assert client.get(reverse("inventory:movements") + f"?location={places.lpp.galeri.pk}").status_code == 404
    lpp_count.refresh_from_db()
    assert lpp_count.status == StocktakeStatus.OPEN


def test_form_choices_never_offer_lpp_locations(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    lapas = {places.lapas.galeri.pk, places.lapas.gudang.pk}
    for name, fields in [
        ("inventory:receive", ["location"]),
        ("inventory:adjust", ["location"]),
        ("inventory:transfer", ["from_location", "to_location"]),
        ("inventory:stocktake_list", ["location"]),
    ]:
        html = client.get(reverse(name)).content.decode()
        for field in fields:
            assert option_values(html, field) == lapas, (name, field)
        assert "LPP-KUE" not in html  # no LPP product among the suggestions
    html = client.get(reverse("inventory:locations")).content.decode()
    assert option_values(html, "unit") == {places.lapas.unit.pk}


def test_posting_an_lpp_location_or_product_is_refused(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    before = StockMovement.objects.count()
    response = client.post(
        reverse("inventory:receive"), {"product": "LPA-TAS", "location": places.lpp.galeri.pk, "reason": "receipt", "quantity": 3}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(
        reverse("inventory:receive"),
        {"product": "LPP-KUE", "location": places.lapas.galeri.pk, "reason": "receipt", "quantity": 3},
    )
    assert "Tidak ada produk dengan SKU atau barcode LPP-KUE" in response.content.decode()
    response = client.post(
        reverse("inventory:transfer"),
        {"product": "LPA-TAS", "from_location": places.lapas.gudang.pk, "to_location": places.lpp.galeri.pk, "quantity": 1},
    )
    assert "errorlist" in response.content.decode()
    response = client.post(reverse("inventory:stocktake_list"), {"location": places.lpp.gudang.pk})
    assert response.status_code == 200
    response = client.post(reverse("inventory:locations"), {"unit": places.lpp.unit.pk, "name": "Gudang B", "kind": "gudang"})
    assert response.status_code == 200
    assert StockMovement.objects.count() == before
    assert not StockLocation.objects.filter(name="Gudang B").exists()
    assert not Stocktake.objects.filter(location=places.lpp.gudang).exists()


def test_the_regional_admin_sees_every_unit(client, login, staff, world):
    login(client, staff.regional)
    html = client.get(reverse("inventory:levels")).content.decode()
    assert "Tas Anyaman Lapas" in html and "Kue Bagea LPP" in html
    html = client.get(reverse("inventory:movements")).content.decode()
    assert "Kemasan LPP sobek" in html


def test_a_cashier_reads_stock_but_does_not_move_it(client, login, staff, world):
    login(client, staff.lapas_cashier)
    assert client.get(reverse("inventory:levels")).status_code == 200
    assert client.get(reverse("inventory:movements")).status_code == 200
    for name in ("inventory:receive", "inventory:adjust", "inventory:transfer", "inventory:stocktake_list"):
        assert client.get(reverse(name)).status_code == 403, name
    html = client.get(reverse("inventory:locations")).content.decode()
    assert "Tambah lokasi" not in html


# --- Flows ----------------------------------------------------------------------------


def test_receive_adjust_and_transfer_through_the_forms(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    bag = world["lapas_bag"]
    response = client.post(
        reverse("inventory:receive"),
        {"product": "899000111", "location": places.lapas.gudang.pk, "reason": "receipt", "quantity": 6, "note": "Dari bengkel"},
    )
    assert response.status_code == 302
    assert StockLevel.objects.get(product=bag, location=places.lapas.gudang).quantity == 10
    # An adjustment without a note is refused by the form.
    response = client.post(
        reverse("inventory:adjust"),
        {
            "product": "LPA-TAS",
            "location": places.lapas.galeri.pk,
            "reason": "damaged",
            "direction": "out",
            "quantity": 1,
            "note": "",
        },
    )
    assert response.status_code == 200
    response = client.post(
        reverse("inventory:adjust"),
        {
            "product": "lpa-tas",
            "location": places.lapas.galeri.pk,
            "reason": "damaged",
            "direction": "out",
            "quantity": 1,
            "note": "Jahitan lepas",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inventory:transfer"),
        {"product": "LPA-TAS", "from_location": places.lapas.gudang.pk, "to_location": places.lapas.galeri.pk, "quantity": 3},
    )
    assert response.status_code == 302
    bag.refresh_from_db()
    assert bag.stock_quantity == 8 - 1 + 3
    # Taking more than there is: the form says so, naming the product.
    response = client.post(
        reverse("inventory:transfer"),
        {"product": "LPA-TAS", "from_location": places.lapas.gudang.pk, "to_location": places.lapas.galeri.pk, "quantity": 99},
    )
    assert response.status_code == 200
    assert "Stok Tas Anyaman Lapas di Gudang tidak cukup" in response.content.decode()
    # The ledger shows who did what, why.
    html = client.get(reverse("inventory:movements") + f"?product={bag.pk}&reason=damaged").content.decode()
    assert "Jahitan lepas" in html and "Rusak" in html and staff.lapas_officer.first_name in html
    assert "Dari bengkel" not in html


def test_movement_filters_by_date(client, login, staff, world):
    login(client, staff.lapas_officer)
    today = timezone.localdate()
    html = client.get(reverse("inventory:movements") + f"?from={today:%Y-%m-%d}&to={today:%Y-%m-%d}").content.decode()
    assert "Tas Anyaman Lapas" in html
    tomorrow = today + datetime.timedelta(days=1)
    html = client.get(reverse("inventory:movements") + f"?from={tomorrow:%Y-%m-%d}").content.decode()
    assert "Tas Anyaman Lapas" not in html
    response = client.get(reverse("inventory:movements") + "?from=kemarin&reason=curian")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message(client, login, staff, world, query):
    login(client, staff.lapas_officer)
    for name in ("inventory:movements", "inventory:movements_export"):
        response = client.get(reverse(name) + "?" + query)
        assert response.status_code == 200, name
    html = client.get(reverse("inventory:movements") + "?" + query).content.decode()
    assert "Tanggal di luar jangkauan" in html


def test_stocktake_through_the_pages(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    count = world["lapas_count"]
    line = count.lines.get(product=world["lapas_bag"])
    url = reverse("inventory:stocktake_detail", args=[count.pk])
    html = client.get(url).content.decode()
    assert f'name="count-{line.pk}"' in html and 'data-sku="LPA-TAS"' in html
    assert client.post(url, {f"count-{line.pk}": "7"}).status_code == 302
    line.refresh_from_db()
    assert line.counted == 7
    assert "−1" in client.get(url).content.decode() or "-1" in client.get(url).content.decode()
    response = client.post(reverse("inventory:stocktake_post", args=[count.pk]), {f"count-{line.pk}": "6"})
    assert response.status_code == 302
    assert StockLevel.objects.get(product=world["lapas_bag"], location=places.lapas.galeri).quantity == 6
    count.refresh_from_db()
    assert count.status == StocktakeStatus.POSTED
    html = client.get(url).content.decode()
    assert 'name="count-' not in html  # a posted count is read only
    assert client.get(reverse("inventory:stocktake_post", args=[count.pk])).status_code == 405


def test_a_bad_count_posts_nothing(client, login, staff, world, places):
    login(client, staff.lapas_officer)
    count = world["lapas_count"]
    line = count.lines.get(product=world["lapas_bag"])
    response = client.post(reverse("inventory:stocktake_post", args=[count.pk]), {f"count-{line.pk}": "-3"}, follow=True)
    assert "Jumlah tidak sah" in response.content.decode()
    count.refresh_from_db()
    assert count.status == StocktakeStatus.OPEN
    assert StockLevel.objects.get(product=world["lapas_bag"], location=places.lapas.galeri).quantity == 8


def test_locations_are_managed_by_officers_of_the_unit(client, login, staff, places, stocked):
    login(client, staff.lapas_officer)
    response = client.post(
        reverse("inventory:locations"),
        {"unit": places.lapas.unit.pk, "name": "Stan Pameran", "kind": "pameran", "is_sellable": "on", "is_active": "on"},
    )
    assert response.status_code == 302
    stand = StockLocation.objects.get(name="Stan Pameran")
    assert stand.is_sellable and stand.unit == places.lapas.unit
    product = stocked(stand, 2)
    response = client.post(reverse("inventory:location_edit", args=[stand.pk]), {"name": "Stan Pameran", "kind": "pameran"})
    assert response.status_code == 200  # still holds stock: cannot be switched off
    assert "masih berisi stok" in response.content.decode()
    product.refresh_from_db()
    assert product.stock_quantity == 2


# --- Alerts and the console home ----------------------------------------------------


def test_alerts_list_low_stock_and_food_near_expiry(client, login, staff, places, stocked, make_category, settings):
    settings.EXPIRY_ALERT_DAYS = 14
    today = timezone.localdate()
    food = make_category("Kue", kind=CategoryKind.FOOD, slug="kue")
    stocked(places.lapas.galeri, 2, name="Tas Hampir Habis")
    stocked(places.lapas.galeri, 50, name="Tas Banyak")
    stocked(places.lapas.galeri, 0, name="Tas Sudah Habis")
    stocked(places.lapas.gudang, 5, name="Bagea Segera", category=food, expiry_date=today + datetime.timedelta(days=10))
    stocked(places.lapas.galeri, 50, name="Bagea Masih Lama", category=food, expiry_date=today + datetime.timedelta(days=40))
    stocked(places.lapas.galeri, 0, name="Bagea Tanpa Stok", category=food, expiry_date=today + datetime.timedelta(days=3))
    stocked(places.lapas.galeri, 20, name="Bagea Lewat", category=food, expiry_date=today - datetime.timedelta(days=1))
    login(client, staff.lapas_officer)
    html = client.get(reverse("inventory:alerts")).content.decode()
    assert "Tas Hampir Habis" in html and "Tas Sudah Habis" in html and "Tas Banyak" not in html
    assert "Bagea Segera" in html and "10 hari lagi" in html
    assert "Bagea Lewat" in html and "Sudah kedaluwarsa" in html
    assert "Bagea Masih Lama" not in html and "Bagea Tanpa Stok" not in html.split("h-exp")[1]
    home = client.get(reverse("console:home"))
    tasks = {t["label"]: t["count"] for t in home.context["tasks"]}
    # Low: Hampir Habis (2), Sudah Habis (0), Bagea Segera (0 for buyers: it is in the warehouse), Bagea Tanpa Stok (0).
    assert tasks["Produk stok menipis atau habis"] == 4
    assert tasks["Pangan mendekati kedaluwarsa"] == 2


def test_the_lpp_officer_counts_nothing_of_lapas(client, login, staff, places, stocked):
    stocked(places.lapas.galeri, 1, name="Tas Hampir Habis")
    login(client, staff.lpp_officer)
    tasks = {t["label"]: t["count"] for t in client.get(reverse("console:home")).context["tasks"]}
    assert tasks["Produk stok menipis atau habis"] == 0


# --- Buyers see the ledger --------------------------------------------------------------


def test_buyers_see_availability_from_the_ledger(client, places, stocked):
    product = stocked(places.lapas.gudang, 30, name="Tas Anyaman Gudang")
    assert "Habis" in client.get(product.get_absolute_url()).content.decode()
    services.transfer(product, places.lapas.gudang, places.lapas.galeri, 12)
    assert "Tersedia" in client.get(product.get_absolute_url()).content.decode()
    services.record_movement(product, places.lapas.galeri, -8, Reason.SALE)
    assert "Stok terbatas" in client.get(product.get_absolute_url()).content.decode()


# --- Bounded queries --------------------------------------------------------------------


def _levels_queries(client, url):
    client.get(url)  # warm up (session, ContentTypes, ...)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_levels_page_queries_do_not_grow_with_products(client, login, staff, places, stocked):
    login(client, staff.lapas_officer)
    for i in range(2):
        p = stocked(places.lapas.galeri, 3, name=f"Tas {i}")
        services.receive(p, places.lapas.gudang, 2)
    url = reverse("inventory:levels")
    few = _levels_queries(client, url)
    for i in range(2, 30):
        p = stocked(places.lapas.galeri, 3, name=f"Tas {i}")
        services.receive(p, places.lapas.gudang, 2)
    many = _levels_queries(client, url)
    assert few == many
    assert many <= 12, many
    assert _levels_queries(client, url + f"?location={places.lapas.gudang.pk}&low=1&q=tas") <= many


def test_movements_page_queries_do_not_grow_with_rows(client, login, staff, places, stocked):
    login(client, staff.lapas_officer)
    p = stocked(places.lapas.galeri, 3)
    url = reverse("inventory:movements")
    few = _levels_queries(client, url)
    for _ in range(20):
        services.record_movement(p, places.lapas.galeri, 1, Reason.RECEIPT, user=staff.lapas_officer)
    assert _levels_queries(client, url) == few
