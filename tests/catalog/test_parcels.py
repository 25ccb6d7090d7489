"""Weight and size for shipping: the product's own, else its category's (or the parent's)
defaults, the parcel of a set of lines, the staff warning, and the category defaults page."""

import pytest

from galeri.catalog import selectors
from galeri.catalog.models import Category, ProductStatus
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

WARNING = "Berat/ukuran memakai bawaan kategori"
PAGE = "/petugas/produk/kategori/"


@pytest.fixture
def bags(make_category):
    crafts = make_category("Kerajinan", default_weight_grams=500, default_length_cm=30, default_width_cm=20, default_height_cm=15)
    return make_category("Tas", parent=crafts)


def test_a_product_with_its_own_figures_uses_them(make_product, upt, bags):
    bag = make_product(unit=upt, category=bags, weight_grams=450, length_cm=35, width_cm=12, height_cm=30)
    size = selectors.shipping_weight(bag)
    assert (size.grams, size.length_cm, size.width_cm, size.height_cm, size.source) == (450, 35, 12, 30, "product")


def test_missing_figures_come_from_the_category_then_its_parent(make_product, upt, bags):
    bag = make_product(unit=upt, category=bags, weight_grams=450)  # no size: the parent's 30×20×15
    size = selectors.shipping_weight(bag)
    assert (size.grams, size.length_cm, size.width_cm, size.height_cm, size.source) == (450, 30, 20, 15, "category")
    bags.default_weight_grams, bags.default_length_cm, bags.default_width_cm, bags.default_height_cm = 600, 40, 15, 35
    bags.save()
    bag.weight_grams = 0  # zero counts as not filled in
    size = selectors.shipping_weight(bag)
    assert (size.grams, size.length_cm, size.source) == (600, 40, "category")


def test_nothing_known_anywhere_is_missing(make_product, upt, make_category):
    bare = make_product(unit=upt, category=make_category("Tanpa bawaan"))
    assert selectors.shipping_weight(bare).source == "missing"
    assert not selectors.parcel_of([(bare, 1)]).complete


def test_a_parcel_adds_weights_stacks_heights_and_leaves_services_out(make_product, upt, bags, service_category):
    bag = make_product(unit=upt, category=bags, weight_grams=450, length_cm=35, width_cm=12, height_cm=30)
    purse = make_product(unit=upt, category=bags, weight_grams=150)  # size from the category: 30×20×15
    haircut = make_product(unit=upt, category=service_category)
    parcel = selectors.parcel_of([(bag, 2), (purse, 1), (haircut, 1)])
    assert (parcel.grams, parcel.length_cm, parcel.width_cm, parcel.height_cm) == (1050, 35, 20, 75)
    assert parcel.defaulted == [purse] and parcel.missing == [] and parcel.complete
    assert parcel.volume_cm3 == 35 * 20 * 75


def test_order_lines_make_a_parcel(goods, shop):
    from galeri.catalog.models import Product
    from tests.orders.helpers import pickup, place

    Product.objects.filter(pk=goods.bag.pk).update(weight_grams=450, length_cm=35, width_cm=12, height_cm=30)
    order = place([(goods.bag, 2)], [pickup(shop.lapas.unit)]).orders[0]
    parcel = selectors.parcel_of(order.lines.select_related("product__category__parent"))
    assert (parcel.grams, parcel.length_cm, parcel.width_cm, parcel.height_cm) == (900, 35, 12, 60)


def test_staff_see_the_warning_on_the_product_page_and_in_the_list(signed_in, staff, make_product, upt, bags):
    own = make_product(unit=upt, category=bags, name="Tas Lengkap", weight_grams=450, length_cm=35, width_cm=12, height_cm=30)
    defaulted = make_product(unit=upt, category=bags, name="Tas Bawaan", status=ProductStatus.DRAFT)
    client = signed_in(staff.lapas_officer)
    assert WARNING in text_of(client.get(f"/petugas/produk/{defaulted.pk}/"))
    assert WARNING not in text_of(client.get(f"/petugas/produk/{own.pk}/"))
    html = client.get("/petugas/produk/").content.decode()
    assert html.count('data-testid="bawaan-kategori"') == 1
    row = html[html.index("Tas Bawaan") :]
    assert row.index(WARNING) < row.index("</tr>")


def test_the_regional_admin_keeps_the_category_defaults(signed_in, staff, bags):
    client = signed_in(staff.regional)
    page = client.get(PAGE)
    assert page.status_code == 200 and "Tas" in text_of(page)
    prefix = f"c{bags.pk}-"
    data = {f"{prefix}default_weight_grams": "700", f"{prefix}default_length_cm": "40", f"{prefix}default_width_cm": "15"}
    crafts = bags.parent
    for name in ("weight_grams", "length_cm", "width_cm", "height_cm"):
        data[f"c{crafts.pk}-default_{name}"] = str(getattr(crafts, f"default_{name}"))
    refused = client.post(PAGE, data)  # the height is missing: nothing saved
    assert refused.status_code == 400 and "sekaligus" in text_of(refused)
    bags.refresh_from_db()
    assert bags.default_weight_grams is None
    data[f"{prefix}default_height_cm"] = "35"
    assert client.post(PAGE, data).status_code == 302
    bags.refresh_from_db()
    assert (bags.default_weight_grams, bags.default_length_cm, bags.default_width_cm, bags.default_height_cm) == (700, 40, 15, 35)
    bad = client.post(PAGE, {**data, f"{prefix}default_weight_grams": "-5"})
    assert bad.status_code == 400 and "lebih dari 0" in text_of(bad)
    assert Category.objects.get(pk=bags.pk).default_weight_grams == 700


def test_unit_staff_cannot_change_shared_categories(signed_in, staff):
    assert signed_in(staff.lapas_admin).get(PAGE).status_code == 403
    assert signed_in(staff.lapas_officer).post(PAGE, {}).status_code == 403
