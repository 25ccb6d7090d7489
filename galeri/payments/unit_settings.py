"""A unit's payment settings as its administrator edits them in the console: which methods it takes
online (the buyer's choices) and at its counter (cash always), its transfer unique code and its
payment deadline. ``services.payment_settings_for`` reads them (made with defaults on first use)."""

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.payments.models import UnitPaymentSettings
from galeri.payments.services import PaymentError, payment_settings_for

SETTINGS_FIELDS = (
    "accept_qris",
    "accept_transfer",
    "accept_cash",
    "allow_cod",
    "counter_accept_qris",
    "counter_accept_transfer",
    "unique_code_max",
    "order_expiry_hours",
)


def update_payment_settings(user, unit, **values) -> UnitPaymentSettings:
    """Save which methods ``unit`` takes online and at its counter (cash at the counter always), its
    transfer unique code and payment deadline. Its administrator or the Kanwil's
    (``payments.providers``, as for its acquirer); PaymentError otherwise or on a bad value."""
    from django.core.exceptions import ValidationError

    from galeri.units.scoping import can

    if not can(user, "payments.providers", unit):
        raise PaymentError(_("Anda tidak berhak mengatur pembayaran unit ini."), code="forbidden")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise PaymentError(_("Pengaturan tidak dikenal: %(names)s.") % {"names": ", ".join(sorted(unknown))}, code="bad_field")
    with transaction.atomic():
        payment_settings_for(unit)
        found = UnitPaymentSettings.objects.select_for_update().get(unit=unit)
        for name, value in values.items():
            setattr(found, name, value)
        try:
            found.full_clean()
        except ValidationError as exc:
            raise PaymentError(" ".join(exc.messages), code="invalid") from None
        found.save()
    return found
