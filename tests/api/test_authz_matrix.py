"""The authorisation matrix of the API, generated from the API object and the permission table.

Every operation of ``galeri.api.core.api`` is found by walking its routers, so an endpoint added
tomorrow fails ``test_every_api_operation_is_classified`` until it is listed here: in ``PUBLIC``
(no token) or in ``STAFF`` with the action of ``scoping.PERMISSIONS`` it needs and, when it
takes an object, the kind of object. From that table:

- every role (and a user without a role) against every staff operation: the status follows
  ``PERMISSIONS`` (allowed → 200/201, not allowed → 403), on the caller's own unit's object;
- no token, a wrong, an expired and a revoked token: 401 everywhere;
- the token of another unit's staff on this unit's objects: 404 (or 403 when the role is not
  allowed at all), the same answer as for an object that does not exist, and nothing changes.
"""

import datetime
import json

import pytest
from django.test import Client

from galeri.api import services as api_services
from galeri.api.core import api
from galeri.api.models import ApiToken
from galeri.catalog.models import PriceChange
from galeri.core import clock
from galeri.units.models import Role
from galeri.units.scoping import PERMISSIONS
from tests.api.conftest import SECRET
from tests.bookings.factories import booking as make_booking
from tests.orders.factories import order as make_order

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"

# Operations anyone may call (no token): the public catalogue.
PUBLIC = {
    ("GET", "/units"),
    ("GET", "/units/{slug}"),
    ("GET", "/categories"),
    ("GET", "/products"),
    ("GET", "/products/{slug}"),
    ("GET", "/impact"),
    ("GET", "/services"),
    ("GET", "/services/{slug}/slots"),
}

# (method, path) -> (action in PERMISSIONS or None for "any valid token", object kind or None)
STAFF = {
    ("GET", "/staff/me"): (None, None),
    ("GET", "/staff/products"): ("catalog.view", None),
    ("GET", "/staff/products/{int:product_id}"): ("catalog.view", "product"),
    ("POST", "/staff/products/{int:product_id}/price"): ("catalog.edit", "product"),
    ("GET", "/staff/stock/levels"): ("inventory.view", None),
    ("GET", "/staff/stock/movements"): ("inventory.view", None),
    ("GET", "/staff/sales"): ("pos.report", None),
    ("GET", "/staff/orders"): ("orders.view", None),
    ("GET", "/staff/orders/{code}"): ("orders.view", "order"),
    ("GET", "/staff/bookings"): ("bookings.view", None),
    ("GET", "/staff/bookings/{code}"): ("bookings.view", "booking"),
}

BODIES = {("POST", "/staff/products/{int:product_id}/price"): {"new_price": 80_000, "reason": "uji matriks"}}

# Who holds which role where (tests/api/conftest.py ``world``); "nobody" has a token and no role.
ROLE_OF = {
    "regional": Role.REGIONAL_ADMIN,
    "lapas_admin": Role.UNIT_ADMIN,
    "lapas_officer": Role.OFFICER,
    "lapas_cashier": Role.CASHIER,
    "nobody": None,
}


def operations():
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield method, prefix + path


def _object_values(world, unit):
    objects = world.objects
    return {
        "product_id": objects.product(unit).pk,
        "code": None,  # filled per kind below
        "_order": make_order(objects, unit).code,
        "_booking": make_booking(objects, unit).code,
    }


def url_for(world, route, unit):
    _method, path = route
    _action, kind = STAFF[route]
    values = _object_values(world, unit)
    if kind == "order":
        values["code"] = values["_order"]
    elif kind == "booking":
        values["code"] = values["_booking"]
    return PREFIX + path.replace("{int:product_id}", str(values["product_id"])).replace("{code}", str(values["code"]))


def call(client, route, url):
    method, _path = route
    if method == "GET":
        return client.get(url)
    return client.post(url, data=json.dumps(BODIES.get(route, {})), content_type="application/json")


def expected(role, route):
    action, _kind = STAFF[route]
    allowed = action is None or role in PERMISSIONS[action]  # None: any valid token (the caller's own roles)
    if not allowed:
        return 403
    return 201 if route[0] == "POST" else 200


def route_id(route):
    return f"{route[0]} {route[1]}"


def test_every_api_operation_is_classified():
    found = set(operations())
    unclassified = sorted(found - PUBLIC - set(STAFF))
    assert unclassified == [], f"classify these API operations in {__name__} (PUBLIC or STAFF): {unclassified}"
    assert sorted((PUBLIC | set(STAFF)) - found) == [], "the tables name operations that no longer exist"
    for route, (action, _kind) in STAFF.items():
        assert route[1].startswith("/staff/"), route
        assert action is None or action in PERMISSIONS, f"{route}: unknown action {action!r}"


@pytest.mark.parametrize("route", sorted(PUBLIC), ids=route_id)
def test_public_operations_do_not_become_staff_ones(world, route):
    """The public table is honest: these answer without a token (an unknown slug is a 404, not a 401)."""
    path = route[1].replace("{slug}", "tidak-ada")
    assert Client().get(PREFIX + path).status_code in (200, 404)


@pytest.mark.parametrize("who", sorted(ROLE_OF))
def test_every_role_against_every_staff_operation(world, who):
    """Vertical privilege: what a role may do follows ``PERMISSIONS``, on its own unit's objects."""
    role = ROLE_OF[who]
    unit = world.tree.lapas
    client = world.client(who)
    problems = []
    for route in sorted(STAFF):
        url = url_for(world, route, unit)
        want = expected(role, route)
        response = call(client, route, url)
        if response.status_code != want:
            problems.append(f"{who} {route_id(route)}: {response.status_code}, expected {want}")
        if want == 403:
            problem = json.loads(response.content)
            if problem.get("status") != 403 or SECRET in response.content.decode():
                problems.append(f"{who} {route_id(route)}: refusal is not a clean problem: {problem}")
    assert problems == [], "\n".join(problems)
    if role not in PERMISSIONS["catalog.edit"]:
        assert not PriceChange.objects.filter(reason="uji matriks").exists()


@pytest.mark.parametrize("kind", ["none", "wrong", "expired", "revoked", "deactivated"])
def test_bad_tokens_get_401_everywhere(world, kind):
    user = world.users["lapas_admin"]
    secret = world.tokens["lapas_admin"]
    token = ApiToken.objects.get(user=user)
    if kind == "expired":
        token.expires_at = clock.now() - datetime.timedelta(seconds=1)
        token.save(update_fields=["expires_at"])
    elif kind == "revoked":
        api_services.revoke_token(token, user=user)
    elif kind == "deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    elif kind == "wrong":
        secret = secret[:-4] + "abcd"
    client = Client() if kind == "none" else Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    problems = []
    for route in sorted(STAFF):
        response = call(client, route, url_for(world, route, world.tree.lapas))
        if response.status_code != 401:
            problems.append(f"{kind} token {route_id(route)}: {response.status_code}")
    assert problems == [], "\n".join(problems)
    assert not PriceChange.objects.filter(reason="uji matriks").exists()


# Tokens of staff who reach neither Lapas Ambon nor its objects (another UPT of the same region).
OUTSIDERS = ["lpp_officer"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_units_token_gets_404_on_this_units_objects(world, who, make_staff):
    """Unit B's staff (every role) on unit A's objects: the answer of a missing object, nothing changed."""
    tokens = {Role.OFFICER: world.tokens[who]}
    for role in (Role.UNIT_ADMIN, Role.CASHIER):
        user = make_staff(role, world.tree.lpp, f"api.lpp.{role}")
        _token, tokens[role] = api_services.create_token(user, f"Alat lpp {role}")
    a = world.tree.lapas
    problems = []
    for role, secret in tokens.items():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        for route in sorted(STAFF):
            action, kind = STAFF[route]
            if kind is None:
                continue
            want = 404 if role in PERMISSIONS[action] else 403
            response = call(client, route, url_for(world, route, a))
            body = response.content.decode()
            if response.status_code != want or SECRET in body or "Lapas Ambon" in body:
                problems.append(f"{role} of LPP {route_id(route)} on LPA's object: {response.status_code} (expected {want})")
    assert problems == [], "\n".join(problems)
    assert not PriceChange.objects.filter(reason="uji matriks").exists()


@pytest.mark.parametrize("who", ["lapas_admin", "lapas_officer", "lapas_cashier", "regional"])
def test_staff_lists_never_show_another_units_rows_even_when_asked(world, who):
    """Lists with ``?unit=`` naming a unit out of reach show nothing of it (no SECRET, no code)."""
    other = world.other
    for unit in (world.tree.lpp, other):
        make_booking(world.objects, unit)
    client = world.client(who)
    problems = []
    for route in sorted(STAFF):
        if STAFF[route][1] is not None or route[0] != "GET" or route[1] == "/staff/me":
            continue
        for query in ({}, {"unit": other.pk}):
            response = client.get(PREFIX + route[1], query)
            if response.status_code not in (200, 403):
                problems.append(f"{who} {route_id(route)} {query}: {response.status_code}")
            body = response.content.decode()
            if other.code in body or "Jayapura" in body:
                problems.append(f"{who} {route_id(route)} {query} shows the other region's rows")
            if who != "regional" and (world.tree.lpp.code + "-") in body:
                problems.append(f"{who} {route_id(route)} {query} shows the sibling unit's rows")
    assert problems == [], "\n".join(problems)
