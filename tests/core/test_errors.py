"""One DomainError: every app's refusal derives from it, and ``refused`` shows it in one place."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from galeri.api.services import ApiTokenError
from galeri.bookings.services import BookingError
from galeri.catalog.services import CatalogError
from galeri.core.errors import DomainError, error_text, refused
from galeri.custom_orders.services import CustomOrderError
from galeri.inventory.services import InsufficientStock, InventoryError
from galeri.labels.services import LabelError
from galeri.ops.backup import BackupError
from galeri.orders.services import CheckoutError, OrderError
from galeri.payments.services import PaymentError
from galeri.pos.services import PosError
from galeri.production.services import ProductionError
from galeri.reports.services import ReportError
from galeri.units.services import StaffError

APP_ERRORS = [
    ApiTokenError,
    BookingError,
    CatalogError,
    CustomOrderError,
    InventoryError,
    InsufficientStock,
    LabelError,
    BackupError,
    OrderError,
    CheckoutError,
    PaymentError,
    PosError,
    ProductionError,
    ReportError,
    StaffError,
]


@pytest.mark.parametrize("error", APP_ERRORS, ids=lambda e: e.__name__)
def test_every_apps_error_is_a_domain_error_and_still_a_validation_error(error):
    assert issubclass(error, DomainError)
    assert issubclass(error, ValidationError)  # forms' clean may raise it; tests catch it so


def test_a_domain_error_carries_the_message_and_a_code():
    exc = OrderError("Pesanan ini sudah dibatalkan.", code="cancelled")
    assert exc.text == "Pesanan ini sudah dibatalkan."
    assert exc.code == "cancelled" and exc.codes == ["cancelled"]
    plain = PosError("Sesi kasir sudah ditutup.")
    assert plain.code == "refused" and error_text(plain) == "Sesi kasir sudah ditutup."
    both = CatalogError([CatalogError("Satu.", code="one"), CatalogError("Dua.")])
    assert both.text == "Satu. Dua." and both.codes == ["one", "refused"]


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_refused_puts_the_message_in_the_flash_messages_and_says_it_was_refused():
    request = _request()
    with refused(request) as outcome:
        raise PaymentError("Nominal harus bilangan bulat rupiah.", code="bad_amount")
    assert not outcome.ok and outcome.error.code == "bad_amount"
    assert [str(m) for m in get_messages(request)] == ["Nominal harus bilangan bulat rupiah."]
    with refused(request) as outcome:
        pass
    assert outcome.ok


def test_refused_puts_the_message_on_a_form_or_a_list():
    class Form(forms.Form):
        name = forms.CharField(required=False)

    form = Form({"name": "x"})
    assert form.is_valid()
    with refused(form=form):
        raise InventoryError("Lokasi ini sudah ada.")
    assert form.non_field_errors() == ["Lokasi ini sudah ada."]
    problems = []
    with refused(into=problems, prefix="SKU-1: "):
        raise LabelError("Produk tanpa harga.")
    assert problems == ["SKU-1: Produk tanpa harga."]


def test_refused_lets_other_errors_through():
    with pytest.raises(PermissionDenied), refused(_request()):
        raise PermissionDenied
    with pytest.raises(ValidationError), refused(_request()):
        raise ValidationError("not a domain refusal")
