"""Staff endpoints: a token reaches what its user reaches in the console, never more."""

import json

import pytest

from galeri.catalog.models import PriceChange, PriceChangeStatus
from tests.api.conftest import BUYER_PHONE, SECRET, today_wit

pytestmark = pytest.mark.django_db


def call(client, path, **kwargs):
    response = client.get(f"/api/v1/staff{path}", **kwargs)
    return response, json.loads(response.content)


def texts(data):
    return json.dumps(data, ensure_ascii=False)


def test_me_names_the_token_and_the_roles(world):
    response, data = call(world.client("lapas_officer"), "/me")
    assert response.status_code == 200
    assert data["username"] == "api.lapas_officer"
    assert data["token_name"] == "Alat lapas_officer"
    assert data["roles"] == [{"role": "officer", "unit_code": "LPA", "unit_name": "Lapas Ambon"}]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", ["/products", "/stock/levels", "/stock/movements", "/orders"])
def test_a_unit_token_sees_only_its_own_unit(world, path):
    _response, data = call(world.client("lapas_officer"), path)
    assert data["items"], f"{path}: the unit's own rows are missing"
    body = texts(data)
    assert "LPA" in body
    assert "LPPA" not in body and "LPJ" not in body, f"{path} shows another unit's rows"


def test_orders_of_another_unit_are_404(world):
    from galeri.orders.models import Order

    own = Order.objects.get(unit=world.tree.lapas)
    other = Order.objects.get(unit=world.tree.lpp)
    client = world.client("lapas_officer")
    response, data = call(client, f"/orders/{own.code}")
    assert response.status_code == 200
    assert data["buyer_phone"] == BUYER_PHONE  # the unit's own staff handle the order
    assert [e["to_status"] for e in data["events"]][0] == "baru"
    assert data["lines"][0]["quantity"] == 1
    response, problem = call(client, f"/orders/{other.code}")
    assert response.status_code == 404
    assert SECRET not in texts(problem)
    _response, missing = call(client, "/orders/LPA-20000101-9999")
    assert (problem["title"], problem["detail"]) == (missing["title"], missing["detail"])  # no "exists but forbidden"


def test_regional_admin_reaches_every_unit_of_the_region_but_not_another_region(world):
    _response, data = call(world.client("regional"), "/orders")
    units = {o["unit_code"] for o in data["items"]}
    assert units == {"LPA", "LPPA"}


def test_sales_of_a_day_for_the_cashier_of_the_unit(world):
    response, data = call(world.client("lapas_cashier"), f"/sales?date={today_wit().isoformat()}")
    assert response.status_code == 200
    assert data["summary"]["count"] == 1
    assert data["summary"]["total"] == 75_000
    assert data["summary"]["by_method"] == {"cash": 75_000}
    assert [s["unit_code"] for s in data["items"]] == ["LPA"]
    assert data["items"][0]["lines"][0]["quantity"] == 1
    # another unit's officer (no pos.report role) is refused; lpp's admin would see only lpp
    response, _ = call(world.client("lpp_officer"), "/sales")
    assert response.status_code == 403


def test_sales_of_another_day_are_empty(world):
    _response, data = call(world.client("lapas_cashier"), "/sales?date=2020-01-01")
    assert data["summary"]["count"] == 0 and data["items"] == []


def test_a_user_without_roles_gets_403_everywhere(world):
    client = world.client("nobody")
    for path in ["/products", "/stock/levels", "/stock/movements", "/orders", "/sales"]:
        response, problem = call(client, path)
        assert response.status_code == 403, path
        assert problem["title"] == "Tidak diizinkan"


def test_products_of_another_unit_are_404_and_their_price_cannot_change(world):
    other = world.objects.product(world.tree.lpp)
    client = world.client("lapas_officer")
    assert call(client, f"/products/{other.pk}")[0].status_code == 404
    response = client.post(f"/api/v1/staff/products/{other.pk}/price", {"new_price": 1}, content_type="application/json")
    assert response.status_code == 404
    assert not PriceChange.objects.filter(product=other).exists()


def test_price_change_goes_to_approval_through_the_catalog(world):
    own = world.objects.product(world.tree.lapas)
    client = world.client("lapas_officer")
    response = client.post(
        f"/api/v1/staff/products/{own.pk}/price",
        {"new_price": 80_000, "reason": "Harga bahan naik"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = json.loads(response.content)
    assert data["old_price"] == 75_000 and data["new_price"] == 80_000 and data["status"] == "pending"
    change = PriceChange.objects.get(product=own)
    assert change.status == PriceChangeStatus.PENDING and change.requested_by == world.users["lapas_officer"]
    _response, product = call(client, f"/products/{own.pk}")
    assert product["price"] == 75_000 and product["pending_price"] == 80_000


def test_a_refused_price_change_is_a_422_problem_in_the_clients_language(world):
    own = world.objects.product(world.tree.lapas)
    client = world.client("lapas_officer")
    url = f"/api/v1/staff/products/{own.pk}/price"
    response = client.post(url, {"new_price": 75_000}, content_type="application/json")
    assert response.status_code == 422
    assert json.loads(response.content)["detail"] == "Harga baru sama dengan harga sekarang."
    response = client.post(url, {"new_price": -5}, content_type="application/json")
    problem = json.loads(response.content)
    assert response.status_code == 422
    assert problem["errors"] == [{"field": "new_price", "in": "body", "message": "Terlalu kecil."}]
    english = client.post(url, {"new_price": -5}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert json.loads(english.content)["errors"][0]["message"] == "Too small."
    assert PriceChange.objects.count() == 0


def test_cashier_may_read_but_not_change_prices(world):
    own = world.objects.product(world.tree.lapas)
    client = world.client("lapas_cashier")
    assert call(client, f"/products/{own.pk}")[0].status_code == 200
    response = client.post(f"/api/v1/staff/products/{own.pk}/price", {"new_price": 99_000}, content_type="application/json")
    assert response.status_code == 403


def test_movements_page_through_the_ledger_with_a_cursor(world):
    client = world.client("regional")
    seen = []
    response, data = call(client, "/stock/movements?limit=2")
    seen += [m["id"] for m in data["items"]]
    while data["next_cursor"]:
        response, data = call(client, f"/stock/movements?limit=2&cursor={data['next_cursor']}")
        seen += [m["id"] for m in data["items"]]
    from galeri.inventory.models import StockMovement

    expected = StockMovement.objects.filter(location__unit__code__in=["LPA", "LPPA"]).order_by("-created_at", "-id")
    assert seen == [m.pk for m in expected]


def test_staff_lists_take_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("regional")
    for path, most in [("/products", 8), ("/stock/levels", 8), ("/stock/movements", 8), ("/orders", 8), ("/sales", 10)]:
        with django_assert_max_num_queries(most):
            assert client.get(f"/api/v1/staff{path}").status_code in (200, 403)


def test_an_order_shows_the_delivery_option_chosen_and_its_shipment(world):
    """Staff tools need what the buyer chose (courier, service, estimate) and the resi."""
    from django.utils import timezone

    from galeri.orders.models import Order, Shipment

    own = Order.objects.get(unit=world.tree.lapas)
    Order.objects.filter(pk=own.pk).update(
        delivery_kind="courier",
        delivery_courier="JNE",
        delivery_service="REG",
        delivery_label="JNE REG",
        delivery_etd="2–3 hari",
    )
    client = world.client("lapas_officer")
    _response, data = call(client, f"/orders/{own.code}")
    assert data["delivery_label"] == "JNE REG" and data["delivery_etd"] == "2–3 hari"
    assert (data["delivery_kind"], data["delivery_courier"], data["delivery_service"]) == ("courier", "JNE", "REG")
    assert data["shipment"] is None
    Shipment.objects.create(
        order=own,
        method="kurir",
        status="shipped",
        courier_code="jne",
        courier_name="JNE",
        service="REG",
        tracking_number="JT0123082100003094",
        created_at=timezone.now(),
        shipped_at=timezone.now(),
    )
    _response, data = call(client, f"/orders/{own.code}")
    assert data["shipment"]["tracking_number"] == "JT0123082100003094"
    assert (data["shipment"]["status"], data["shipment"]["courier_name"], data["shipment"]["service"]) == (
        "shipped",
        "JNE",
        "REG",
    )
