"""Real threads, one database connection each, on SQLite and PostgreSQL (DATABASE_URL=postgres://...)."""

import uuid

import pytest

from galeri.core.models import TimelineEvent
from galeri.custom_orders import services
from galeri.custom_orders.models import CustomOrder, Quote, QuoteStatus
from galeri.payments.models import Payment
from tests.helpers import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_double_submits_at_once_make_one_request(make_request, shop):
    key = uuid.uuid4()
    results = run_threads(8, lambda i: make_request(idempotency_key=key))
    orders = [r for r in results if isinstance(r, CustomOrder)]
    assert len(orders) == 8, results
    assert len({o.pk for o in orders}) == 1
    assert CustomOrder.objects.count() == 1
    assert TimelineEvent.objects.count() == 1


def test_accepting_one_quote_from_two_tabs_at_once_asks_for_one_dp(quoted):
    order, quote = quoted()
    results = run_threads(
        6, lambda i: services.accept_quote(Quote.objects.select_related("order").get(pk=quote.pk), method="qris")
    )
    accepted = [r for r in results if isinstance(r, CustomOrder)]
    refused = [r for r in results if isinstance(r, services.CustomOrderError)]
    assert (len(accepted), len(refused)) == (1, 5), results
    assert Payment.objects.filter(payable_type="custom_order", payable_id=order.pk).count() == 1
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.ACCEPTED
