"""No public response carries a participant (name, number, initials, code) or a buyer."""

import datetime
import json

import pytest
from django.test import Client

from galeri.production import services as production
from galeri.production.models import WorkshopKind
from tests.api.conftest import BUYER_PHONE, FULL_NAME, REGISTRATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def made_by_people(world):
    """Six participants of Lapas Ambon (enough to show the impact figures) made its product;
    one consented to the public credit of his initials, as on the product page."""
    from galeri.inventory.models import StockLocation

    lapas = world.tree.lapas
    product = world.objects.product(lapas)
    admin = world.users["lapas_admin"]
    workshop = production.save_workshop(unit=lapas, name="Bengkel Anyaman", kind=WorkshopKind.WEAVING)
    people = []
    for i in range(6):
        person = production.create_participant(lapas, initials=f"Q.Z{'ABCDEF'[i]}.", workshop=workshop)
        production.set_personal(
            person, admin, full_name=f"{FULL_NAME} {i}", registration_number=f"{REGISTRATION}-{i}", reason="uji"
        )
        people.append(person)
    production.set_credit_consent(people[0], consent=True, on=datetime.date(2025, 1, 2))
    batch = production.create_batch(
        workshop,
        product,
        quantity_made=6,
        started_on=datetime.date(2025, 1, 6),
        participants=[(p, 4) for p in people],
        materials=[],
    )
    location = StockLocation.objects.filter(unit=lapas).first()
    production.pass_quality_check(batch, passed=6, location=location)
    return people


def public_bodies(world):
    client = Client()
    paths = ["/units", "/categories", "/products", "/products?limit=100&available=true", "/impact", "/products?q=tas"]
    paths += [f"/units/{u}" for u in ("lapas-ambon", "lpp-ambon", "rutan-ambon")]
    paths += ["/services"] + [f"/services/{s['slug']}/slots" for s in json.loads(client.get("/api/v1/services").content)["items"]]
    listing = json.loads(client.get("/api/v1/products?limit=100").content)
    paths += [f"/products/{p['slug']}" for p in listing["items"]]
    bodies = {}
    for path in paths:
        response = client.get(f"/api/v1{path}")
        assert response.status_code == 200, path
        bodies[path] = response.content.decode()
    return bodies


def test_no_participant_or_buyer_in_any_public_response(world, made_by_people):
    bodies = public_bodies(world)
    impact = json.loads(bodies["/impact"])
    assert impact["overall"]["participants"] == 6  # the figures are there, as aggregates
    forbidden = [FULL_NAME, REGISTRATION, BUYER_PHONE, "81299990000", "Pembeli RAHASIA", "rahasia@contoh.id"]
    forbidden += [p.code for p in made_by_people] + [p.initials for p in made_by_people]
    for path, body in bodies.items():
        for word in forbidden:
            assert word not in body, f"{word!r} leaks in {path}"


def test_staff_api_keeps_personal_data_of_participants_out_too(world, made_by_people):
    """The staff API has no participant endpoint: restricted fields are read (and logged) in the console only."""
    client = world.client("lapas_admin")
    for path in ["/products", "/stock/levels", "/stock/movements", "/orders", "/sales"]:
        body = client.get(f"/api/v1/staff{path}").content.decode()
        assert FULL_NAME not in body and REGISTRATION not in body, path
