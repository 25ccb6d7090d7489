"""Indonesian phone numbers, normalised to E.164 (+62...) with phonenumbers."""

from urllib.parse import quote

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_phone(raw: str) -> str:
    """Return '+62...' for a valid Indonesian (or international) number, else raise ValidationError."""
    try:
        number = phonenumbers.parse(str(raw or "").strip(), "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Nomor telepon tidak dikenali: %(raw)s") % {"raw": raw}, code="invalid_phone")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Nomor telepon tidak valid: %(raw)s") % {"raw": raw}, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def display_phone(e164: str) -> str:
    """'+6281234567890' -> '0812-3456-7890' style national format for Indonesians."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def whatsapp_link(e164: str, message: str = "") -> str:
    """A wa.me link for a mobile number, with a prefilled message. Empty for non-mobile numbers."""
    if not e164 or not is_mobile(e164):
        return ""
    link = "https://wa.me/" + e164.lstrip("+")
    if message:
        link += "?text=" + quote(message)
    return link
