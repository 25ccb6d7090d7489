"""Stock fixtures: locations per UPT, products stocked through the ledger, staff and signed-in clients."""

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from galeri.inventory import services
from galeri.inventory.models import LocationKind, Reason
from galeri.units.models import Role, RoleAssignment

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_location(db):
    def make(unit, name=None, kind=LocationKind.WAREHOUSE, is_sellable=False, **fields):
        return services.create_location(unit, name or f"Lokasi {next(_seq)}", kind=kind, is_sellable=is_sellable, **fields)

    return make


@pytest.fixture
def places(unit_tree, make_location):
    """A sellable "Galeri" and a "Gudang" in each UPT: places.lapas.galeri, places.lpp.gudang, ..."""
    out = {}
    for key in ("lapas", "rutan", "lpp"):
        unit = getattr(unit_tree, key)
        out[key] = SimpleNamespace(
            unit=unit,
            galeri=make_location(unit, "Galeri", kind=LocationKind.GALLERY, is_sellable=True),
            gudang=make_location(unit, "Gudang", kind=LocationKind.WAREHOUSE),
        )
    return SimpleNamespace(**out)


@pytest.fixture
def stocked(make_product, category):
    """stocked(location, qty, **product_fields) -> a product of the location's unit holding qty there (through the ledger)."""

    def make(location, qty=0, **fields):
        fields.setdefault("stock_quantity", 0)
        fields.setdefault("category", category)
        product = make_product(unit=location.unit, **fields)
        if qty:
            services.receive(product, location, qty, reason=Reason.INITIAL)
            product.refresh_from_db()
        return product

    return make


@pytest.fixture
def make_staff(db):
    def make(role=None, unit=None, username=None):
        user = User.objects.create_user(username or f"staf{next(_seq)}", password="Anyaman-Pandan-2025", first_name="Petugas")
        if role is not None:
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def login():
    """login(client, user): signed in, with a confirmed second factor for those who need one."""

    def sign_in(client, user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in


@pytest.fixture
def staff(unit_tree, make_staff):
    t = unit_tree
    return SimpleNamespace(
        regional=make_staff(Role.REGIONAL_ADMIN, t.kanwil, "admin.kanwil"),
        lapas_admin=make_staff(Role.UNIT_ADMIN, t.lapas, "admin.lapas"),
        lapas_officer=make_staff(Role.OFFICER, t.lapas, "petugas.lapas"),
        lapas_cashier=make_staff(Role.CASHIER, t.lapas, "kasir.lapas"),
        lpp_officer=make_staff(Role.OFFICER, t.lpp, "petugas.lpp"),
    )
