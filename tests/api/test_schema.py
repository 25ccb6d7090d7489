"""Schemathesis against our own OpenAPI schema: every operation, valid and invalid input.

No response is a 500, and every response matches the schema (status code documented,
content type, body shape). Staff operations are called with a regional administrator's
token so that they answer with data, not only with 401. Path parameters are drawn both
at random and from real objects, so the 200 shapes are checked too.
"""

import os
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

# About 1,700 cases in about a minute on SQLite (on a quiet machine); API_FUZZ_SCALE=2 for ~3,400 (CI, before a release).
SCALE = float(os.environ.get("API_FUZZ_SCALE", "1"))
EXAMPLES = {GenerationMode.POSITIVE: int(100 * SCALE), GenerationMode.NEGATIVE: int(50 * SCALE)}


# Operations whose only input is a free string in the path (or nothing): no request can violate
# their schema, and Hypothesis would spend seconds proving it.
NOTHING_TO_NEGATE = {
    "GET /api/v1/units",
    "GET /api/v1/units/{slug}",
    "GET /api/v1/categories",
    "GET /api/v1/products/{slug}",
    "GET /api/v1/impact",
    "GET /api/v1/services",
    "GET /api/v1/services/{slug}/slots",
}


def _real_path_parameters(world, operation_path):
    from galeri.orders.models import Order

    lapas = world.objects.product(world.tree.lapas)
    if operation_path.endswith("/products/{slug}"):
        return {"slug": lapas.slug}
    if operation_path.endswith("/services/{slug}/slots"):
        from galeri.bookings.models import Service

        return {"slug": Service.objects.get().slug}
    if operation_path.endswith("/units/{slug}"):
        return {"slug": "lapas-ambon"}
    if "{product_id}" in operation_path:
        return {"product_id": lapas.pk}
    if operation_path.endswith("/orders/{code}"):
        return {"code": Order.objects.get(unit=world.tree.lapas).code}
    if operation_path.endswith("/bookings/{code}"):
        return {"code": _a_booking(world).code}
    return None


def _a_booking(world):
    """A booking of the world's service in Lapas Ambon, so the staff booking detail answers 200 too."""
    import datetime
    import uuid

    from galeri.bookings import services as bookings
    from galeri.bookings import slots as grid
    from galeri.bookings.models import Booking, Service

    found = Booking.objects.filter(unit=world.tree.lapas).first()
    if found is None:
        starts = grid.wit_datetime(grid.today_wit() + datetime.timedelta(days=1), datetime.time(9, 0))
        found = bookings.book(
            Service.objects.get(), starts_at=starts, name="Pembeli Ambon", phone="081234567890", idempotency_key=uuid.uuid4()
        ).booking
    return found


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler inside the test's transaction: like django.test.Client, keep the
    connection open across requests (the handler would close it when a request ends)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def quiet_request_log():
    """One log line per request is noise for thousands of generated requests (and most of their time)."""
    import logging

    logger = logging.getLogger("galeri.request")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


def _has_float(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return False


def test_every_operation_against_the_schema(world, wsgi_app, quiet_request_log):
    _a_booking(world)  # the staff booking list answers with a row, not only an empty page
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    headers = {"Authorization": f"Bearer {world.tokens['regional']}"}
    counts = {}
    started = time.monotonic()
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            if mode is GenerationMode.NEGATIVE and operation.label in NOTHING_TO_NEGATE:
                continue
            strategy = operation.as_strategy(generation_mode=mode)
            real = _real_path_parameters(world, operation.path)
            if real is not None and mode is GenerationMode.POSITIVE:
                strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters=real))

            @settings(
                max_examples=examples, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
            )
            @given(case=strategy)
            def run(case):
                counts[operation.label] = counts.get(operation.label, 0) + 1
                # A cursor is opaque: any string fits the schema, only one the server issued is
                # accepted (a made-up one is a 400 problem, checked in test_public).
                # JSON Schema counts 5.0 as an integer; the API's bodies are stricter on purpose
                # (whole rupiah are written 5, never 5.0: tests/api/test_strict_input.py).
                stricter = (case.query or {}).get("cursor") or _has_float(case.body)
                excluded = [positive_data_acceptance] if stricter else None
                # A case whose headers are the invalid part (no Authorization) is sent as generated.
                negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
                case.call_and_validate(headers=None if negative_headers else headers, excluded_checks=excluded)

            run()
        print(operation.label, counts.get(operation.label), f"{time.monotonic() - started:.1f}")
    elapsed = time.monotonic() - started
    total = sum(counts.values())
    print(f"schemathesis: {total} cases over {len(operations)} operations in {elapsed:.1f} s")
    assert total >= 1200 * SCALE
