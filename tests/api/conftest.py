"""A small world for the API: two UPTs of Maluku and a UPT of another region, each with a
published product, stock in the ledger, an online order and a counter sale; staff of each
unit with a token. Everything of unit B carries the word RAHASIA (as in the authz matrix)."""

import datetime
import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galeri.api import services as api_services
from galeri.inventory.models import LocationKind, Reason
from galeri.inventory.services import create_location, receive
from galeri.units.models import Role, RoleAssignment, UnitKind

SECRET = "RAHASIA"
BUYER_PHONE = "+6281299990000"
FULL_NAME = "Yohanis Latuheru Rahasia"
REGISTRATION = "BI.1234/2025"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    """Rate limits are tested on their own; other tests must never meet them."""
    settings.API_RATE_LIMITS = {"anon": "100000/min", "token": "100000/min"}


class _Objects:
    """Just enough of the authz matrix's ``Objects`` for tests.orders/pos factories."""

    def __init__(self, make_product, category):
        self.make_product = make_product
        self.category_obj = category
        self.cache = {}

    def _once(self, key, build):
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]

    def staff(self, unit):
        def build():
            user = User.objects.create_user(f"officer.{unit.code.lower()}", first_name=f"Petugas {unit.code}")
            RoleAssignment.objects.create(user=user, unit=unit, role=Role.OFFICER)
            return user

        return self._once(("staff", unit.pk), build)

    def product(self, unit):
        return self._once(
            ("product", unit.pk),
            lambda: self.make_product(unit=unit, category=self.category_obj, name=f"Tas {SECRET} {unit.code}", price=75_000),
        )


@dataclass
class World:
    tree: object
    other: object  # a UPT of another region
    objects: _Objects
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def client(self, who):
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}")


def make_user(username, role, unit):
    user = User.objects.create_user(username, password="x")
    if role is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def world(unit_tree, make_unit, make_product, category):
    from tests.orders.factories import order
    from tests.pos.factories import sale

    papua = make_unit(kind=UnitKind.KANWIL, parent=unit_tree.ditjenpas, code="KWP", short_name="Kanwil Papua")
    jayapura = make_unit(kind=UnitKind.LAPAS, parent=papua, code="LPJ", short_name="Lapas Jayapura")
    objects = _Objects(make_product, category)
    w = World(tree=unit_tree, other=jayapura, objects=objects)
    for unit in (unit_tree.lapas, unit_tree.lpp, jayapura):
        product = objects.product(unit)
        location = create_location(unit, f"Gudang {unit.code}", kind=LocationKind.WAREHOUSE)
        receive(product, location, 7, reason=Reason.INITIAL)
        order(objects, unit)
        sale(objects, unit)
    from galeri.bookings import services as bookings
    from galeri.production import services as production
    from galeri.production.models import WorkshopKind

    barbers = production.save_workshop(unit=unit_tree.lapas, name="Pangkas Rambut", kind=WorkshopKind.BARBER)
    bookings.save_service(
        unit=unit_tree.lapas, workshop=barbers, name="Cukur rambut", price_min=15_000, slot_minutes=30, duration_minutes=30,
        capacity=3, hours=[bookings.Hours(d, datetime.time(8, 0), datetime.time(17, 0)) for d in range(7)],
    )
    people = {
        "lapas_officer": (Role.OFFICER, unit_tree.lapas),
        "lapas_cashier": (Role.CASHIER, unit_tree.lapas),
        "lapas_admin": (Role.UNIT_ADMIN, unit_tree.lapas),
        "lpp_officer": (Role.OFFICER, unit_tree.lpp),
        "regional": (Role.REGIONAL_ADMIN, unit_tree.kanwil),
        "nobody": (None, None),
    }
    for name, (role, unit) in people.items():
        user = make_user(f"api.{name}", role, unit)
        w.users[name] = user
        if role is not None:
            _token, secret = api_services.create_token(user, f"Alat {name}")
        else:
            # A user without roles cannot make a token in the console; build one directly.
            from galeri.api.models import ApiToken

            secret = api_services.TOKEN_PREFIX + uuid.uuid4().hex
            ApiToken.objects.create(user=user, name="tanpa peran", prefix=secret[:10], token_hash=api_services.hash_secret(secret))
        w.tokens[name] = secret
    return w


def today_wit():
    from django.utils import timezone

    from galeri.core.dates import to_wit

    return to_wit(timezone.now()).date()



@pytest.fixture
def make_workshop_for_api(db):
    from galeri.production import services as production

    def make(unit, name, kind):
        return production.save_workshop(unit=unit, name=name, kind=kind)

    return make
