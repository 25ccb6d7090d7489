"""POST /pembayaran/notifikasi/<provider>/: no login, no CSRF, a size limit, 404 for an unknown
provider, and never a 500 whatever arrives (fuzzed)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.payments import acquiring
from galeri.payments.models import AcquirerNotification, NotificationOutcome

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
URL = "/pembayaran/notifikasi/{}/"


def test_an_unknown_provider_is_not_found():
    assert Client().post(URL.format("paypal"), b"{}", content_type="application/json").status_code == 404
    assert not AcquirerNotification.objects.exists()


def test_only_post_is_allowed():
    assert Client().get(URL.format("midtrans")).status_code == 405


def test_the_url_has_no_language_prefix():
    assert Client().post("/en" + URL.format("midtrans"), b"{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("provider", ["midtrans", "xendit", "snap", "simulasi"])
def test_an_oversized_body_is_refused_and_kept_truncated(provider):
    body = b'{"order_id": "' + b"x" * (acquiring.MAX_BODY + 10) + b'"}'
    response = Client().post(URL.format(provider), body, content_type="application/json")
    assert response.status_code == 413
    kept = AcquirerNotification.objects.get()
    assert kept.outcome == NotificationOutcome.REJECTED and len(kept.body) <= acquiring.MAX_BODY


@pytest.mark.parametrize("provider", ["midtrans", "xendit", "snap", "simulasi"])
def test_not_json_is_a_400_and_is_kept(provider):
    response = Client().post(URL.format(provider), b"\x00\xffnot json", content_type="application/json")
    assert response.status_code == 400
    kept = AcquirerNotification.objects.get()
    assert kept.outcome == NotificationOutcome.REJECTED and kept.http_status == 400


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
known_keys = st.sampled_from(
    ["order_id", "status_code", "gross_amount", "signature_key", "data", "reference_id", "originalPartnerReferenceNo", "reference", "amount"]
)


@FUZZ
@given(
    provider=st.sampled_from(["midtrans", "xendit", "snap", "simulasi"]),
    body=st.one_of(
        st.binary(max_size=300),
        st.dictionaries(known_keys, json_values, max_size=6).map(lambda d: __import__("json").dumps(d).encode()),
    ),
    headers=st.dictionaries(
        st.sampled_from(["x-callback-token", "X-TIMESTAMP", "X-SIGNATURE", "X-EXTERNAL-ID", "X-Simulasi-Signature", "Authorization"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        max_size=4,
    ),
)
def test_garbage_never_gets_a_500(provider, body, headers):
    response = Client().post(URL.format(provider), body, content_type="application/json", headers=headers)
    assert response.status_code in (400, 401, 403, 404, 409, 413), response.content
