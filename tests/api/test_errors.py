"""Errors are JSON problem details in Indonesian or English; rate limits answer 429 with Retry-After."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def problem_of(response):
    assert response["Content-Type"] == "application/problem+json"
    data = json.loads(response.content)
    assert {"type", "title", "status", "detail"} <= set(data)
    assert data["status"] == response.status_code
    return data


def test_unknown_address_under_the_api_is_a_json_404_not_the_gallery_page(db):
    response = Client().get("/api/v1/tidak-ada/sama-sekali")
    assert response.status_code == 404
    data = problem_of(response)
    assert data["title"] == "Tidak ditemukan"
    assert data["type"] == "/api/v1/docs#masalah-not-found"


@pytest.mark.parametrize("path", ["/api/v1/staff/products/%0A%C3%84/price", "/api/v1/%0A", "/api/v1/units/a%0Ab"])
def test_a_line_break_in_an_api_address_is_a_json_404_too(db, path):
    """Found by the schema fuzzer: ``.`` of the catch-all did not match a newline, so the gallery's HTML 404 answered."""
    for method in (Client().get, Client().post):
        response = method(path)
        assert response.status_code in (404, 405)  # POST on a GET-only operation: a 405 problem
        assert response["Content-Type"].startswith("application/problem+json")
        problem_of(response)


@pytest.mark.parametrize(
    "header,title",
    [
        ("", "Tidak ditemukan"),
        ("id-ID,id;q=0.9", "Tidak ditemukan"),
        ("en-US,en;q=0.9", "Not found"),
        ("fr-FR, en;q=0.5", "Not found"),
        ("id, en;q=0.8", "Tidak ditemukan"),
        ("x" * 600, "Tidak ditemukan"),
    ],
)
def test_language_follows_accept_language_default_indonesian(db, header, title):
    response = Client().get("/api/v1/products/tidak-ada", HTTP_ACCEPT_LANGUAGE=header)
    assert problem_of(response)["title"] == title
    assert response["Content-Language"] == ("en" if title == "Not found" else "id")


def test_validation_errors_name_the_parameter(db):
    response = Client().get("/api/v1/products?limit=0&price_min=murah&sort=acak")
    assert response.status_code == 422
    data = problem_of(response)
    fields = {e["field"]: e["message"] for e in data["errors"]}
    assert fields == {
        "limit": "Terlalu kecil.",
        "price_min": "Harus bilangan bulat.",
        "sort": "Bukan salah satu pilihan yang dikenal.",
    }
    english = problem_of(Client().get("/api/v1/products?limit=0", HTTP_ACCEPT_LANGUAGE="en"))
    assert english["title"] == "Invalid data" and english["errors"][0]["message"] == "Too small."


def test_broken_json_body_is_a_problem_not_a_500(world):
    response = world.client("lapas_officer").post(
        f"/api/v1/staff/products/{world.objects.product(world.tree.lapas).pk}/price",
        "{bukan json",
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    problem_of(response)


def test_rate_limit_per_ip_gives_429_with_retry_after(db, settings):
    settings.API_RATE_LIMITS = {"anon": "3/min", "token": "1000/min"}
    client = Client(REMOTE_ADDR="10.0.0.7")
    assert [client.get("/api/v1/units").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/units")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    data = problem_of(refused)
    assert data["title"] == "Terlalu banyak permintaan"
    assert refused["Retry-After"] in data["detail"]
    # another address is not affected
    assert Client(REMOTE_ADDR="10.0.0.8").get("/api/v1/units").status_code == 200


def test_rate_limit_per_token_whatever_the_address(world, settings):
    settings.API_RATE_LIMITS = {"anon": "1000/min", "token": "2/min"}
    secret = world.tokens["lapas_officer"]
    statuses = [
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR=f"10.0.1.{i}").get("/api/v1/staff/me").status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    # another token of another user still works
    assert world.client("lpp_officer").get("/api/v1/staff/me").status_code == 200


def test_forwarded_for_is_ignored_unless_proxies_are_configured(db, settings):
    settings.API_RATE_LIMITS = {"anon": "1/min", "token": "1000/min"}
    client = Client(REMOTE_ADDR="10.0.0.9")
    assert client.get("/api/v1/units", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get("/api/v1/units", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/api/v1/units", HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 200


def test_docs_page_is_served_without_inline_script_or_cdn(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/staff/orders/{code}" in html and "masalah-rate-limited" in html
    assert "cdn" not in html.lower() and "<script>" not in html and " style=" not in html and "onclick" not in html
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp


def test_openapi_schema_lists_every_endpoint_and_problem_responses(db):
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    paths = set(schema["paths"])
    assert {
        "/api/v1/products",
        "/api/v1/products/{slug}",
        "/api/v1/units",
        "/api/v1/categories",
        "/api/v1/impact",
        "/api/v1/staff/orders",
        "/api/v1/staff/sales",
        "/api/v1/staff/stock/movements",
    } <= paths
    not_found = schema["paths"]["/api/v1/products/{slug}"]["get"]["responses"]["404"]["content"]
    assert list(not_found) == ["application/problem+json"]


def test_a_wrong_method_is_a_405_problem_with_allow(db):
    response = Client().post("/api/v1/units")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert problem_of(response)["title"] == "Metode tidak diizinkan"
