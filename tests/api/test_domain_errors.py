"""The API's one DomainError handler: a refusal is a 422 problem with the user message and its code."""

import json

import pytest

from galeri.catalog.models import PriceChange

pytestmark = pytest.mark.django_db


def test_a_refusal_is_a_problem_with_the_message_and_the_machine_code(world):
    own = world.objects.product(world.tree.lapas)
    client = world.client("lapas_officer")
    url = f"/api/v1/staff/products/{own.pk}/price"
    response = client.post(url, {"new_price": 75_000}, content_type="application/json")
    problem = json.loads(response.content)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert problem["type"].endswith("rejected") and problem["status"] == 422
    assert problem["detail"] == "Harga baru sama dengan harga sekarang."
    assert problem["code"] == "same_price"
    english = client.post(url, {"new_price": 75_000}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert json.loads(english.content)["detail"] == "The new price is the same as the current price."
    assert PriceChange.objects.count() == 0
