import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from galeri.catalog.models import Availability, Product, ProductStatus
from galeri.catalog.services import save_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stock, threshold, made_to_order, expected, label",
    [
        (12, 5, False, Availability.AVAILABLE, "Tersedia"),
        (6, 5, False, Availability.AVAILABLE, "Tersedia"),
        (5, 5, False, Availability.LIMITED, "Stok terbatas"),  # at the threshold
        (1, 5, False, Availability.LIMITED, "Stok terbatas"),
        (0, 5, False, Availability.SOLD_OUT, "Habis"),
        (0, 5, True, Availability.TO_ORDER, "Dibuat sesuai pesanan"),
        (3, 5, True, Availability.LIMITED, "Stok terbatas"),  # pieces in hand sell first
        (1, 0, False, Availability.AVAILABLE, "Tersedia"),  # no threshold: never "limited"
    ],
)
def test_availability(make_product, stock, threshold, made_to_order, expected, label):
    product = make_product(stock_quantity=stock, low_stock_threshold=threshold, made_to_order=made_to_order)
    assert product.availability == expected
    assert product.availability_label == label


def test_a_service_is_always_booked_not_stocked(make_product, service_category):
    product = make_product(category=service_category, stock_quantity=0, price=20_000)
    assert product.is_service
    assert product.availability == Availability.SERVICE
    assert product.availability_label == "Jasa, pesan jadwal"


def test_low_stock_threshold_defaults_to_the_setting(settings, make_product):
    product = make_product()
    assert product.low_stock_threshold == settings.LOW_STOCK_DEFAULT == 5


def test_in_stock_queryset_matches_availability(make_product, service_category):
    products = [
        make_product(stock_quantity=3),
        make_product(stock_quantity=0),
        make_product(stock_quantity=0, made_to_order=True),
        make_product(stock_quantity=0, category=service_category),
    ]
    in_stock = set(Product.objects.in_stock())
    for product in products:
        assert (product in in_stock) == (product.availability != Availability.SOLD_OUT)


def test_slugs_are_unique(make_product):
    first = make_product(name="Kursi Rotan")
    second = make_product(name="Kursi Rotan")
    third = make_product(name="kursi  rotan!")
    assert (first.slug, second.slug, third.slug) == ("kursi-rotan", "kursi-rotan-2", "kursi-rotan-3")


def test_slug_is_kept_on_edit(make_product):
    product = make_product(name="Kursi Rotan")
    product.name = "Kursi Rotan Besar"
    save_product(product)
    product.refresh_from_db()
    assert product.slug == "kursi-rotan"


def test_slug_from_a_name_without_letters(make_product):
    assert make_product(name="★★★").slug == "produk"


def test_long_names_fit_the_slug(make_product):
    name = "Kain Tenun Ikat Tanimbar Motif Tradisional " * 3
    first, second = make_product(name=name[:120]), make_product(name=name[:120])
    assert len(first.slug) <= 140 and second.slug == first.slug + "-2"


def test_price_is_never_negative(make_product, upt, category):
    product = Product(unit=upt, category=category, name="Meja", sku="MEJA-1", price=-1)
    with pytest.raises(ValidationError) as info:
        save_product(product)
    assert "price" in info.value.message_dict
    assert not Product.objects.filter(sku="MEJA-1").exists()


def test_the_database_refuses_a_negative_price_too(make_product):
    product = make_product(price=10_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(price=-5_000)
    product.refresh_from_db()
    assert product.price == 10_000


def test_a_free_product_is_allowed(make_product):
    assert make_product(price=0).price == 0


def test_published_at_is_set_on_publish(make_product):
    before = timezone.now()
    draft = make_product(status=ProductStatus.DRAFT)
    assert draft.published_at is None
    assert not Product.objects.published().filter(pk=draft.pk).exists()

    draft.status = ProductStatus.PUBLISHED
    save_product(draft)
    draft.refresh_from_db()
    assert before <= draft.published_at <= timezone.now()
    assert Product.objects.published().filter(pk=draft.pk).exists()


def test_published_at_is_kept_when_saved_again(make_product):
    product = make_product()
    first = product.published_at
    assert first is not None
    product.price = 30_000
    save_product(product)
    product.refresh_from_db()
    assert product.published_at == first


def test_a_given_publication_time_is_kept(make_product):
    when = datetime.datetime(2025, 8, 17, 9, 0, tzinfo=datetime.UTC)
    assert make_product(published_at=when).published_at == when


def test_products_of_an_inactive_unit_are_not_published(make_product, upt):
    product = make_product(unit=upt)
    upt.is_active = False
    upt.save()
    assert not Product.objects.published().filter(pk=product.pk).exists()


def test_empty_barcode_is_stored_as_null_so_many_may_have_none(make_product):
    first, second = make_product(barcode=""), make_product(barcode="")
    assert first.barcode is None and second.barcode is None


def test_search_words_are_filled_on_save(product):
    product.refresh_from_db()
    assert product.search_title
    assert "pandan" in product.search_document or "pandan" in product.search_title
