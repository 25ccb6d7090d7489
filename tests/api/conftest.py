"""A small world for the API: two UPTs of Maluku and a UPT of another region, each with a
published product, stock in the ledger, an online order and a counter sale; staff of each
unit with a token. Everything of unit B carries the word RAHASIA (as in the authz matrix)."""

import datetime
import uuid
from dataclasses import dataclass, field

import pytest
from django.test import Client

from galeri.api import services as api_services
from galeri.inventory.models import LocationKind, Reason
from galeri.inventory.services import create_location, receive
from galeri.units.models import Role, UnitKind
from tests.kit.objects import SECRET, UnitObjects  # noqa: F401  (SECRET: imported by the API tests)

BUYER_PHONE = "+6281299990000"
FULL_NAME = "Yohanis Latuheru Rahasia"
REGISTRATION = "BI.1234/2025"


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    """Rate limits are tested on their own; other tests must never meet them."""
    settings.API_RATE_LIMITS = {"anon": "100000/min", "token": "100000/min"}


@dataclass
class World:
    tree: object
    other: object  # a UPT of another region
    objects: UnitObjects
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def client(self, who):
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}")


@pytest.fixture
def world(unit_tree, make_unit, make_product, make_category, category, make_staff):
    from tests.orders.factories import order
    from tests.pos.factories import sale

    papua = make_unit(kind=UnitKind.KANWIL, parent=unit_tree.ditjenpas, code="KWP", short_name="Kanwil Papua")
    jayapura = make_unit(kind=UnitKind.LAPAS, parent=papua, code="LPJ", short_name="Lapas Jayapura")
    objects = UnitObjects(make_product, make_category, category=category, product_fields={"price": 75_000})
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
        unit=unit_tree.lapas,
        workshop=barbers,
        name="Cukur rambut",
        price_min=15_000,
        slot_minutes=30,
        duration_minutes=30,
        capacity=3,
        hours=[bookings.Hours(d, datetime.time(8, 0), datetime.time(17, 0)) for d in range(7)],
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
        user = make_staff(role, unit, f"api.{name}")
        w.users[name] = user
        if role is not None:
            _token, secret = api_services.create_token(user, f"Alat {name}")
        else:
            # A user without roles cannot make a token in the console; build one directly.
            from galeri.api.models import ApiToken

            secret = api_services.TOKEN_PREFIX + uuid.uuid4().hex
            ApiToken.objects.create(
                user=user, name="tanpa peran", prefix=secret[:10], token_hash=api_services.hash_secret(secret)
            )
        w.tokens[name] = secret
    return w


def today_wit():
    from django.utils import timezone

    from galeri.core.dates import to_wit

    return to_wit(timezone.now()).date()
