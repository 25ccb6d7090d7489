from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from galeri.core.phone import display_phone, is_mobile, normalize_phone, whatsapp_link


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "081234567890",
        "0812 3456 7890",
        "(0812) 3456-7890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+6281234567890",
        "6281234567890",
        " 0812.3456.7890 ",
    ],
)
def test_mobile_numbers_become_e164(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("(0911) 352612", "+62911352612"),  # Ambon, fixed line
        ("0911-352612", "+62911352612"),
        ("+62 911 352612", "+62911352612"),
        ("021 5701234", "+62215701234"),  # Jakarta
        ("0852 4300 1122", "+6285243001122"),
    ],
)
def test_other_indonesian_numbers(raw, e164):
    assert normalize_phone(raw) == e164


def test_foreign_numbers_keep_their_country():
    assert normalize_phone("+61 412 345 678") == "+61412345678"


@pytest.mark.parametrize("raw", ["", None, "abc", "08123", "0812345678901234567", "+62 12", "nomor saya 0812"])
def test_invalid_numbers_are_refused_in_indonesian(raw):
    with pytest.raises(ValidationError) as info:
        normalize_phone(raw)
    assert info.value.code == "invalid_phone"
    message = info.value.messages[0]
    assert message.startswith("Nomor telepon tidak")
    assert "invalid" not in message.lower()


def test_is_mobile():
    assert is_mobile("+6281234567890")
    assert is_mobile("+6285243001122")
    assert not is_mobile("+62911352612")  # Ambon fixed line
    assert not is_mobile("+62215701234")
    assert not is_mobile("")
    assert not is_mobile("bukan nomor")


def test_display_phone_is_national():
    assert display_phone("+6281234567890") == "0812-3456-7890"
    assert display_phone("+62911352612") == "(0911) 352612"
    assert display_phone("") == ""


def test_whatsapp_link_for_a_mobile_number():
    assert whatsapp_link("+6281234567890") == "https://wa.me/6281234567890"


def test_whatsapp_link_encodes_the_message():
    message = "Halo, saya mau pesan: Tas Anyaman Pandan (Rp 150.000) & 2 kursi?\nTerima kasih #1 + salam 100%"
    link = whatsapp_link("+6281234567890", message)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert " " not in link and "\n" not in link and "&" not in parts.query and "#" not in link
    assert parse_qs(parts.query) == {"text": [message]}


def test_whatsapp_link_encodes_non_ascii():
    link = whatsapp_link("+6281234567890", "Kain tenun — motif Tanimbar ✓")
    assert link.isascii()
    assert parse_qs(urlsplit(link).query) == {"text": ["Kain tenun — motif Tanimbar ✓"]}


@pytest.mark.parametrize("number", ["+62911352612", "+62215701234", "", None, "bukan nomor"])
def test_no_whatsapp_link_for_numbers_that_are_not_mobile(number):
    assert whatsapp_link(number, "Halo") == ""
