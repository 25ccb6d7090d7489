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
    [
        "order_id",
        "status_code",
        "gross_amount",
        "signature_key",
        "data",
        "reference_id",
        "originalPartnerReferenceNo",
        "reference",
        "amount",
    ]
)


@FUZZ
@given(
    provider=st.sampled_from(["midtrans", "xendit", "snap", "simulasi"]),
    body=st.one_of(
        st.binary(max_size=300),
        st.dictionaries(known_keys, json_values, max_size=6).map(lambda d: __import__("json").dumps(d).encode()),
    ),
    headers=st.dictionaries(
        st.sampled_from(
            ["x-callback-token", "X-TIMESTAMP", "X-SIGNATURE", "X-EXTERNAL-ID", "X-Simulasi-Signature", "Authorization"]
        ),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        max_size=4,
    ),
)
def test_garbage_never_gets_a_500(provider, body, headers):
    response = Client().post(URL.format(provider), body, content_type="application/json", headers=headers)
    assert response.status_code in (400, 401, 403, 404, 409, 413), response.content


@pytest.fixture
def paid_charges(network, acquirer_account, make_payment):
    """One pending charge per provider's unit account and the good notification for it."""
    from tests.payments.acquirer_drivers import DRIVERS

    made = {}
    for provider in ("midtrans", "xendit", "snap", "simulasi"):
        driver = DRIVERS[provider](network, acquirer_account(provider))
        charge = driver.charge(make_payment(150_000))
        made[provider] = (charge, driver.notification(charge))
    return made


def _replace_leaves(data, junk, path):
    """``data`` with the value at ``path`` (a list of keys) replaced by ``junk``."""
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = junk
    return data


# Fields a provider does not sign (Midtrans signs order_id, status_code and gross_amount; Xendit
# signs nothing, its token authenticates the sender).
UNSIGNED = {("midtrans", "transaction_status"), ("midtrans", "settlement_time"), ("midtrans", "transaction_id")} | {
    ("xendit", key) for key in ("amount", "reference_id", "status", "created", "currency", "data")
}
FIELDS = {
    "midtrans": [
        ["gross_amount"],
        ["order_id"],
        ["status_code"],
        ["transaction_status"],
        ["settlement_time"],
        ["transaction_id"],
    ],
    "xendit": [
        ["data", "amount"],
        ["data", "reference_id"],
        ["data", "status"],
        ["data", "created"],
        ["data", "currency"],
        ["data"],
    ],
    "snap": [["amount", "value"], ["amount"], ["originalPartnerReferenceNo"], ["latestTransactionStatus"], ["additionalInfo"]],
    "simulasi": [["amount"], ["reference"], ["status"], ["paid_at"], ["charge_id"]],
}


@FUZZ
@given(
    provider=st.sampled_from(sorted(FIELDS)),
    which=st.integers(min_value=0, max_value=5),
    junk=json_values,
)
def test_a_good_notification_with_one_field_spoiled_never_gets_a_500(paid_charges, provider, which, junk):
    import json

    from galeri.payments.models import Payment

    charge, (headers, body) = paid_charges[provider]
    path = FIELDS[provider][which % len(FIELDS[provider])]
    original = json.loads(body)
    data = _replace_leaves(json.loads(body), junk, path)
    spoiled = json.dumps(data).encode()
    before = Payment.objects.get(pk=charge.payment_id).status  # examples share the fixture: an earlier one may have paid

    response = Client().post(
        URL.format(provider),
        spoiled,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )

    assert response.status_code in (200, 400, 401, 403, 404, 409), response.content
    if data != original and (provider, path[-1]) not in UNSIGNED:
        # a signed field changed: nothing may be confirmed by it
        assert Payment.objects.get(pk=charge.payment_id).status == before
