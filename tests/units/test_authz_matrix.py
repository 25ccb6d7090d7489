"""The authorisation matrix, generated from the URL configuration.

Every URL under /petugas/ (and /en/petugas/) is found by walking the resolver,
so a console page added tomorrow is checked without editing this file:

- it carries ``console_action`` (set by ``@console_view``), an action known to
  ``scoping.PERMISSIONS``, unless it is one of the public pages in ``PUBLIC``;
- an anonymous visitor is sent to the sign-in page (GET and POST);
- a signed-in user without any role gets 403 (GET and POST);
- a URL that takes an object (a kwarg) is listed in ``OBJECTS``, which builds
  that object in a given unit; for every role held on unit A, the object of
  unit B answers 403 or 404 (never 200 or a redirect after doing something), and not one
  row of the database changes; B holds every kind of object (participants, batches, bookings,
  custom orders, tills, payments, API tokens) and the sweep reaches each;
- no page without kwargs shows anything of unit B, and no form on it offers
  B's units or B's rows as a choice.

A new console URL with kwargs that is missing from ``OBJECTS`` fails
``test_every_console_url_with_kwargs_has_an_object_factory``.

Role against action (vertical privilege) is ``tests/units/test_authz_vertical.py``; the API's
operations are ``tests/api/test_authz_matrix.py``.
"""

import uuid
from dataclasses import dataclass, field

import pytest
from django import forms
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

from galeri.units.models import Role, Unit, UnitKind
from galeri.units.scoping import PERMISSIONS
from galeri.units.services import save_unit
from tests.helpers import response_bytes, verify_session
from tests.kit.objects import SECRET, UnitObjects
from tests.kit.snapshot import changed, snapshot
from tests.news.factories import post as news_post
from tests.orders.factories import order as orders_order
from tests.pos.factories import till as pos_till


def _app_objects():
    """``OBJECTS`` of every ``tests/<app>/factories.py``: each app lists its own console URLs with kwargs."""
    import importlib
    import pkgutil

    import tests

    found = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.factories")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.factories":
                raise
            continue
        found.update(getattr(module, "OBJECTS", {}))
    return found


pytestmark = pytest.mark.django_db

CONSOLE_PREFIX = "petugas/"

# Pages anyone may open: signing in and out, and the password reset by email.
PUBLIC = {
    "units:login",
    "units:logout",
    "units:password_reset",
    "units:password_reset_done",
    "units:password_reset_confirm",
    "units:password_reset_complete",
}

# SECRET (tests/kit/objects.py): every object of unit B carries this word; A's pages must never show it


# --- Walking the URL configuration ------------------------------------------------------


@dataclass
class Route:
    route: str
    name: str | None
    callback: object
    converters: dict = field(default_factory=dict)

    @property
    def kwargs(self):
        return sorted(self.converters)

    def url(self, language="id", **kwargs):
        values = {k: kwargs.get(k, _dummy(c)) for k, c in self.converters.items()}
        with translation.override(language):
            return reverse(self.name, kwargs=values)


def _dummy(converter):
    if isinstance(converter, IntConverter):
        return 999999
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    return "x"


def _walk(patterns, prefix="", namespace="", converters=None):
    for entry in patterns:
        pattern = entry.pattern
        part = "" if isinstance(pattern, LocalePrefixPattern) else str(pattern)
        found = dict(converters or {})
        if isinstance(pattern, RoutePattern):
            found.update(pattern.converters)
        elif isinstance(pattern, RegexPattern):
            found.update({name: None for name in pattern.regex.groupindex})
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + part, inner, found)
        else:
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(prefix + part, name, entry.callback, found)


def console_routes():
    return [r for r in _walk(get_resolver().url_patterns) if r.route.startswith(CONSOLE_PREFIX)]


def protected_routes():
    return [r for r in console_routes() if r.name not in PUBLIC]


def route_id(route):
    return route.name or route.route


ROUTES = protected_routes()


# --- Objects of a unit, per URL name ------------------------------------------------------


def _staff(o, unit):
    return {"pk": o.staff(unit).pk}


def _product(o, unit):
    return {"pk": o.product(unit).pk}


def _price(o, unit):
    return {"pk": o.price_change(unit).pk}


def _import(o, unit):
    return {"pk": o.product_import(unit).pk}


def _stocktake(o, unit):
    return {"pk": o.stocktake(unit).pk}


# url name -> (objects, unit) -> URL kwargs naming an object of that unit.
OBJECTS = {
    "units:staff_detail": _staff,
    "units:staff_edit": _staff,
    "units:staff_grant": _staff,
    "units:staff_revoke": lambda o, u: {"pk": o.staff(u).pk, "assignment_pk": o.assignment(u).pk},
    "units:staff_deactivate": _staff,
    "units:staff_reactivate": _staff,
    "units:staff_send_link": _staff,
    "units:staff_reset_otp": _staff,
    "units:staff_unlock": _staff,
    "units:unit_edit": lambda o, u: {"pk": u.pk},
    "catalog_console:product_edit": _product,
    "catalog_console:product_submit": _product,
    "catalog_console:product_approve": _product,
    "catalog_console:product_return": _product,
    "catalog_console:product_archive": _product,
    "catalog_console:product_restore": _product,
    "catalog_console:photo_upload": _product,
    "catalog_console:photo_action": lambda o, u: {"pk": o.product(u).pk, "photo_pk": o.photo(u).pk},
    "catalog_console:price_approve": _price,
    "catalog_console:price_reject": _price,
    "catalog_console:price_withdraw": _price,
    "catalog_console:import_review": _import,
    "catalog_console:import_confirm": _import,
    "inventory:location_edit": lambda o, u: {"pk": o.location(u).pk},
    "inventory:stocktake_detail": _stocktake,
    "inventory:stocktake_post": _stocktake,
    "inventory:stocktake_cancel": _stocktake,
    "inventory:stocktake_sheet": _stocktake,
    **_app_objects(),
}

# Reachable only by the user who made them in this session: no positive control possible.
OWNER_AND_SESSION_ONLY = {"catalog_console:import_review", "catalog_console:import_confirm"}


# --- The map of the console itself ----------------------------------------------------------


def test_the_walk_finds_the_console():
    names = {r.name for r in console_routes()}
    assert PUBLIC <= names, f"stale allow-list entries: {PUBLIC - names}"
    assert {"console:home", "console:audit", "units:staff_list", "units:account"} <= names


def test_every_console_url_has_a_name():
    assert [r.route for r in console_routes() if not r.name] == []


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_every_console_view_carries_console_view(route):
    action = getattr(route.callback, "console_action", None)
    assert action is not None, f"{route.name} ({route.route}) is not wrapped in @console_view"
    assert action in PERMISSIONS, f"{route.name}: unknown action {action!r}"


def test_only_the_second_factor_pages_skip_the_second_factor():
    skipping = {r.name for r in ROUTES if getattr(r.callback, "console_second_factor", True) is False}
    assert skipping == {"units:otp_verify", "units:otp_enrol"}


def test_every_console_url_with_kwargs_has_an_object_factory():
    missing = sorted(r.name for r in ROUTES if r.kwargs and r.name not in OBJECTS)
    assert missing == [], f"add these URL names to OBJECTS in {__name__}: {missing}"
    stale = sorted(set(OBJECTS) - {r.name for r in ROUTES})
    assert stale == [], f"OBJECTS names URLs that no longer exist: {stale}"


# --- Anonymous visitors and users without a role ----------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_anonymous_visitors_are_sent_to_sign_in(client, route, language):
    url = route.url(language)
    with translation.override(language):
        login_url = reverse("units:login")
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{method.__name__.upper()} {url}: {response.status_code}"
        assert response.url.startswith(f"{login_url}?next="), response.url


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_users_without_a_role_are_refused(client, route, language, make_staff):
    client.force_login(make_staff(None, None, username="tanpa.peran"))
    url = route.url(language)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 403, f"{method.__name__.upper()} {url}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_open_without_sign_in(client, name):
    route = next(r for r in console_routes() if r.name == name)
    response = client.get(route.url())
    expected = 405 if name == "units:logout" else 200
    assert response.status_code == expected


# --- Unit A never reaches unit B ------------------------------------------------------------------

# (role, unit of the role) for every role; B is outside the unit's subtree.
ROLES = [
    (Role.REGIONAL_ADMIN, "kanwil"),
    (Role.UNIT_ADMIN, "lapas"),
    (Role.OFFICER, "lapas"),
    (Role.CASHIER, "lapas"),
]


@pytest.fixture
def world(unit_tree, make_unit, make_product, make_category):
    """Unit tree plus a second region; B's units carry SECRET in their names."""
    papua = make_unit(kind=UnitKind.KANWIL, parent=unit_tree.ditjenpas, code="KWP", short_name=f"Kanwil {SECRET} Papua")
    jayapura = make_unit(kind=UnitKind.LAPAS, parent=papua, code="LPJ", short_name=f"Lapas {SECRET} Jayapura")

    @dataclass
    class World:
        tree: object
        other_region_upt: Unit
        objects: UnitObjects

        def unit(self, name):
            return getattr(self.tree, name)

        def b_units(self, role):
            """Units outside the reach of ``role``: the other region, and for UPT roles the sibling LPP."""
            units = [self.other_region_upt]
            if role != Role.REGIONAL_ADMIN:
                lpp = self.tree.lpp
                lpp.short_name = f"LPP {SECRET}"
                save_unit(lpp)
                units.append(lpp)
            return units

    return World(unit_tree, jayapura, UnitObjects(make_product, make_category))


def signed_in(role, unit, make_staff):
    user = make_staff(role, unit, username=f"a.{role}")
    client = Client()
    client.force_login(user)
    verify_session(client, user)
    return client, user


def _kinds_of_b(b_units):
    """Every kind of object the issue names, and how many of it unit B holds (the sweep must reach each)."""
    from galeri.api.models import ApiToken
    from galeri.bookings.models import Booking
    from galeri.custom_orders.models import CustomOrder
    from galeri.payments.models import Payment
    from galeri.pos.models import Till
    from galeri.production.models import Batch, Participant

    return {
        "participants": Participant.objects.filter(unit__in=b_units).count(),
        "batches": Batch.objects.filter(unit__in=b_units).count(),
        "bookings": Booking.objects.filter(unit__in=b_units).count(),
        "custom orders": CustomOrder.objects.filter(unit__in=b_units).count(),
        "tills": Till.objects.filter(unit__in=b_units).count(),
        "payments": Payment.objects.filter(unit__in=b_units).count(),
        "tokens": ApiToken.objects.filter(user__role_assignments__unit__in=b_units).count(),
    }


@pytest.mark.parametrize("role,unit_name", ROLES, ids=[r for r, _ in ROLES])
def test_objects_of_another_unit_are_404_or_403(world, make_staff, role, unit_name):
    """GET and POST on every URL naming an object of unit B: 403/404, and not one row changed."""
    client, user = signed_in(role, world.unit(unit_name), make_staff)
    b_units = world.b_units(role)
    urls = [(b, route, route.url(**OBJECTS[route.name](world.objects, b))) for b in b_units for route in ROUTES if route.kwargs]
    kinds = _kinds_of_b(b_units)
    assert all(kinds.values()), f"the sweep does not reach every kind of unit B's objects: {kinds}"
    before = snapshot()
    problems = []
    for b, route, url in urls:
        statuses = (client.get(url).status_code, client.post(url).status_code)
        if not set(statuses) <= {403, 404, 405} or statuses == (405, 405):
            problems.append(f"{route.name} {url} (object of {b.short_name}): GET/POST {statuses}")
    assert problems == [], "\n".join(problems)
    assert changed(before, snapshot()) == [], "a refused request changed unit B's rows"


@pytest.mark.parametrize("role,unit_name", ROLES, ids=[r for r, _ in ROLES])
def test_own_objects_are_reachable(world, make_staff, role, unit_name):
    """The control of the test above: the same factories in A's own unit are not 404."""
    client, user = signed_in(role, world.unit(unit_name), make_staff)
    a = world.tree.lapas
    problems = []
    for route in ROUTES:
        if not route.kwargs or route.name in OWNER_AND_SESSION_ONLY:
            continue
        if role not in PERMISSIONS[route.callback.console_action]:
            continue
        if route.name == "units:unit_edit" and role == Role.REGIONAL_ADMIN:
            a_unit_kwargs = {"pk": a.pk}
        else:
            a_unit_kwargs = None
        url = route.url(**(a_unit_kwargs or OBJECTS[route.name](world.objects, a)))
        status = client.get(url).status_code
        if status in (403, 404):
            problems.append(f"{route.name} {url}: GET {status}")
    assert problems == [], "\n".join(problems)


def _forms_in(response):
    found = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm):
                found[id(value)] = value
            elif isinstance(value, forms.BaseFormSet):
                for form in [*value.forms, value.empty_form]:
                    found[id(form)] = form
    return list(found.values())


def _leaks_in_choices(form, b_unit_ids):
    leaks = []
    for name, form_field in form.fields.items():
        queryset = getattr(form_field, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        if model is Unit:
            bad = queryset.filter(pk__in=b_unit_ids)
        elif any(f.name == "unit" for f in model._meta.get_fields()):
            bad = queryset.filter(unit__in=b_unit_ids)
        elif any(f.name == "product" for f in model._meta.get_fields()):
            bad = queryset.filter(product__unit__in=b_unit_ids)
        elif any(f.name == "location" for f in model._meta.get_fields()):
            bad = queryset.filter(location__unit__in=b_unit_ids)
        else:
            continue
        if bad.exists():
            leaks.append(f"{type(form).__name__}.{name} offers {list(bad)}")
    return leaks


def _body_of(response) -> bytes:
    """The bytes a user would read: a page, a streamed CSV, or the cell text of an XLSX export."""
    data = response_bytes(response)
    if data[:2] == b"PK":  # an XLSX workbook: its text lives in compressed XML
        import io

        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        cells = (
            str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None
        )
        return " ".join(cells).encode()
    return data


@pytest.mark.parametrize("role,unit_name", ROLES, ids=[r for r, _ in ROLES])
def test_pages_never_show_or_offer_another_units_rows(world, make_staff, role, unit_name):
    b_units = world.b_units(role)
    for b in b_units:
        for build in (
            world.objects.staff,
            world.objects.product,
            world.objects.price_change,
            world.objects.stocktake,
            lambda u: orders_order(world.objects, u),
            lambda u: pos_till(world.objects, u),
            lambda u: news_post(world.objects, u),
        ):
            build(b)
    client, user = signed_in(role, world.unit(unit_name), make_staff)
    b_ids = [b.pk for b in b_units]
    problems = []
    checked = 0
    for route in ROUTES:
        if route.kwargs:
            continue
        response = client.get(route.url())
        if response.status_code != 200:
            continue
        checked += 1
        body = _body_of(response)
        if SECRET.encode() in body or SECRET.lower().encode() in body:
            problems.append(f"{route.name} shows something of {[b.short_name for b in b_units]}")
        for form in _forms_in(response):
            problems.extend(f"{route.name}: {leak}" for leak in _leaks_in_choices(form, b_ids))
    assert checked > 0
    assert problems == [], "\n".join(problems)


def test_unit_roles_cannot_reach_the_unit_above(world, make_staff):
    """A unit administrator cannot open the regional administrator's account nor the Kanwil's data."""
    regional = make_staff(Role.REGIONAL_ADMIN, world.tree.kanwil, username="admin.kanwil")
    client, user = signed_in(Role.UNIT_ADMIN, world.tree.lapas, make_staff)
    for name in ("units:staff_detail", "units:staff_edit"):
        assert client.get(reverse(name, args=[regional.pk])).status_code == 404
    for name in ("units:staff_deactivate", "units:staff_reset_otp", "units:staff_grant"):
        assert client.post(reverse(name, args=[regional.pk])).status_code == 404
    assert client.get(reverse("units:unit_edit", args=[world.tree.kanwil.pk])).status_code == 403
    regional.refresh_from_db()
    assert regional.is_active


# --- Hostile filters on every list --------------------------------------------------------------

DATE_KEYS = (
    "from",
    "to",
    "dari",
    "sampai",
    "tanggal",
    "hari",
    "mulai",
    "selesai",
    "awal",
    "akhir",
    "date",
    "day",
    "start",
    "end",
    "bulan",
    "periode",
    "minggu",
    "tahun",
    "date_from",
    "date_to",
)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-02-30", "\x00", "9" * 40, "-1"])
@pytest.mark.parametrize(
    "role,unit_name", [(Role.REGIONAL_ADMIN, "kanwil"), (Role.UNIT_ADMIN, "lapas")], ids=["regional_admin", "unit_admin"]
)
def test_extreme_dates_and_junk_in_filters_never_break_a_page(world, make_staff, role, unit_name, value):
    """Every console page without an object, with every usual date filter set to the ends of the
    calendar or to junk: a page or a message (or a redirect), never a 500."""
    client, user = signed_in(role, world.unit(unit_name), make_staff)
    query = {key: value for key in DATE_KEYS} | {"q": value, "format": "csv"}
    problems = []
    for route in ROUTES:
        if route.kwargs:
            continue
        try:
            response = client.get(route.url(), query)
        except Exception as exc:  # the test client re-raises a view's exception
            problems.append(f"{route.name}: {type(exc).__name__}: {exc}"[:300])
            continue
        if response.status_code >= 500:
            problems.append(f"{route.name}: {response.status_code}")
    assert problems == [], "\n".join(problems)
