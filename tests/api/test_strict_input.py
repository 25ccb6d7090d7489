"""Every write route of the API reads its JSON body strictly (issue 18): a field of the wrong type
(``true`` for a price, ``"5"``, ``5.0``, ``null``, a list), out of its range (negative, huge, too
long) or unknown is a 422 problem that names the field, and nothing is saved. The routes are
found in the OpenAPI schema, so a new write route without an entry here fails the first test."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.api.core import api
from galeri.catalog.models import PriceChange

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def write_operations() -> dict:
    """(METHOD, path) -> the body's JSON schema, for every write operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    found = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in WRITE_METHODS:
                body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
                found[method.upper(), path] = _resolve(schema, body) if body else {}
    return found


# Each write route: who may call it, its URL for that user's own object, a valid body, and what
# counts its saved effect.
def _price_route(world):
    product = world.objects.product(world.tree.lapas)
    url = f"/api/v1/staff/products/{product.pk}/price"
    return "lapas_officer", url, {"new_price": 80_000, "reason": "Harga bahan naik"}, PriceChange.objects.count


ROUTES = {("POST", "/api/v1/staff/products/{product_id}/price"): _price_route}


def test_every_write_route_is_covered_and_reads_a_closed_strict_body():
    operations = write_operations()
    assert operations, "the API has write routes"
    assert set(operations) == set(ROUTES), "a new write route needs its entry in ROUTES"
    for key, body in operations.items():
        assert body.get("additionalProperties") is False, f"{key}: unknown fields must be refused"
        for name, field in body.get("properties", {}).items():
            if field.get("type") == "integer":
                assert "minimum" in field and "maximum" in field, f"{key} {name}: an integer needs its range"
            if field.get("type") == "string" and "enum" not in field and "format" not in field:
                assert "maxLength" in field, f"{key} {name}: a text needs its longest length"


def _fields(key):
    body = write_operations()[key]
    return body.get("properties", {}), set(body.get("required", ()))


def _bad_values(field):
    """Values no field of this JSON schema may accept."""
    kind = field.get("type")
    wrong_types = st.one_of(
        st.none(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
    )
    if kind == "integer":
        low, high = field["minimum"], field["maximum"]
        return st.one_of(
            wrong_types,
            st.booleans(),  # true is not 1
            st.floats(allow_nan=False, allow_infinity=False),  # 5.0 is not a whole rupiah here
            st.integers(min_value=low, max_value=high).map(str),  # "5" is text
            st.text(max_size=10),
            st.integers(max_value=low - 1),
            st.integers(min_value=high + 1),
            st.just(10**40),
        )
    if kind == "string":
        return st.one_of(
            wrong_types,
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(min_size=field["maxLength"] + 1, max_size=field["maxLength"] + 20),
        )
    return wrong_types


def _post(client, method, url, body, **headers):
    import json

    return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_a_valid_body_is_accepted(world, key):
    who, url, valid, count = ROUTES[key](world)
    before = count()
    response = _post(world.client(who), key[0], url, valid)
    assert response.status_code in (200, 201), response.content
    assert count() == before + 1


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_a_bad_value_in_any_field_is_a_422_naming_it_and_saves_nothing(world, key):
    who, url, valid, count = ROUTES[key](world)
    client = world.client(who)
    properties, _required = _fields(key)
    before = count()

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        name = data.draw(st.sampled_from(sorted(properties)))
        value = data.draw(_bad_values(properties[name]), label=name)
        response = _post(client, key[0], url, {**valid, name: value})
        assert response.status_code == 422, (name, value, response.content)
        problem = response.json()
        assert response["Content-Type"].startswith("application/problem+json")
        assert problem["status"] == 422 and problem["title"] == "Data tidak valid"
        assert {e["field"] for e in problem["errors"]} == {name}, problem
        assert all(e["in"] == "body" and e["message"] for e in problem["errors"])

    fuzz()
    assert count() == before


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_missing_and_unknown_fields_are_named(world, key):
    who, url, valid, count = ROUTES[key](world)
    client = world.client(who)
    _properties, required = _fields(key)
    for name in required:
        body = {k: v for k, v in valid.items() if k != name}
        problem = _post(client, key[0], url, body).json()
        assert problem["status"] == 422 and problem["errors"] == [{"field": name, "in": "body", "message": "Wajib diisi."}]
    problem = _post(client, key[0], url, {**valid, "harga": 1}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert problem["errors"] == [{"field": "harga", "in": "body", "message": "This field is not known."}]
    for body in ([valid], "80000", 80_000, None):
        response = _post(client, key[0], url, body)
        assert response.status_code == 422 and response.json()["errors"], body


def test_true_is_not_a_price_of_one_rupiah(world):
    who, url, valid, count = _price_route(world)
    response = _post(world.client(who), "POST", url, {"new_price": True})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "new_price", "in": "body", "message": "Harus bilangan bulat."}]
    assert count() == 0
