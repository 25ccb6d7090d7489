"""Held delivery rates (``shipping.RateQuote``) name where a buyer lives (village and postal code):
they go when nobody needs them any more, through the retention table (galeri/core/retention.py)."""

import datetime

import pytest

from galeri.core import clock, retention
from galeri.orders import cancellation, services
from galeri.shipping.models import RateQuote
from tests.orders.helpers import SAUMLAKI, delivery, place

pytestmark = pytest.mark.django_db


def quote(unit, *, expired_days_ago):
    expires = clock.now() - datetime.timedelta(days=expired_days_ago)
    return RateQuote.objects.create(
        unit=unit,
        destination_area_code=SAUMLAKI,
        destination_postal_code="97471",
        parcels_digest="x",
        option="courier:jne:REG",
        kind="courier",
        price=45_000,
        created_at=expires - datetime.timedelta(hours=24),
        expires_at=expires,
    )


def test_held_rates_no_order_took_go_after_the_retention_days_and_an_orders_rate_stays(shop, goods, settings):
    unit = shop.lapas.unit
    old, recent, taken = quote(unit, expired_days_ago=9), quote(unit, expired_days_ago=1), quote(unit, expired_days_ago=30)
    order = place([(goods.bag, 1)], [delivery(unit, kecamatan="baguala")]).orders[0]
    type(order).objects.filter(pk=order.pk).update(delivery_quote=taken.pk)
    rule = next(r for r in retention.rules() if r.key == "orders.held_rates")
    assert rule.days == settings.RATE_QUOTE_RETENTION_DAYS == 7
    done = retention.apply_all()
    assert done["orders.held_rates"] == 1
    left = set(RateQuote.objects.values_list("pk", flat=True))
    assert old.pk not in left and {recent.pk, taken.pk} <= left
    assert retention.apply_all()["orders.held_rates"] == 0  # idempotent


def test_an_anonymised_orders_held_rate_goes_with_the_buyers_address(shop, goods, settings):
    unit = shop.lapas.unit
    taken = quote(unit, expired_days_ago=500)
    order = place([(goods.bag, 1)], [delivery(unit, kecamatan="baguala")]).orders[0]
    order = cancellation.cancel(order, reason="uji", by_buyer=True)
    type(order).objects.filter(pk=order.pk).update(delivery_quote=taken.pk)
    order.refresh_from_db()
    assert order.closed_at, "the order must be closed for its data to be due"
    assert services.anonymise_due(now=order.closed_at + datetime.timedelta(days=400), days=365) == 1
    assert not RateQuote.objects.filter(pk=taken.pk).exists()


def test_the_privacy_page_lists_held_rates(client):
    page = client.get("/privasi/").content.decode()
    assert 'data-rule="orders.held_rates"' in page
