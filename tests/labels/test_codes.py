"""Barcodes: EAN-13 check digits (hypothesis) and Code 128 bars that decode back to the SKU."""

import string

from barcode.charsets import code128 as charset
from hypothesis import given
from hypothesis import strategies as st

from galeri.labels import codes


def reference_check_digit(first12):
    """GS1's rule written the other way round: from the right, weights 3, 1, 3, 1 ..."""
    total = 0
    for i, digit in enumerate(reversed(first12)):
        total += int(digit) * (3 if i % 2 == 0 else 1)
    return (10 - total % 10) % 10


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_check_digit_follows_gs1(first12):
    assert codes.ean13_check_digit(first12) == reference_check_digit(first12)
    assert codes.is_valid_ean13(first12 + str(reference_check_digit(first12)))


@given(st.sampled_from(codes.EAN_PREFIXES), st.integers(min_value=0, max_value=10**10 - 1))
def test_in_store_codes_are_valid_and_keep_the_prefix(prefix, number):
    code = codes.in_store_ean13(prefix, number)
    assert len(code) == 13 and code.startswith(prefix)
    assert int(code[2:12]) == number
    assert codes.is_valid_ean13(code)


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_a_wrong_check_digit_is_refused(code):
    wrong = code[:12] + str((int(code[12]) + 1) % 10)
    assert not (codes.is_valid_ean13(code) and codes.is_valid_ean13(wrong))


def test_known_ean():
    # 400638133393 + 1: a well-known EAN-13 from GS1's examples.
    assert codes.ean13_check_digit("400638133393") == 1
    assert not codes.is_valid_ean13("4006381333932")
    assert not codes.is_valid_ean13("12345")


def _decode_code128(modules):
    """Read the bars like a scanner: 11-module symbols to values, then values to text (sets A, B, C)."""
    widths = {}
    for value, pattern in enumerate(charset.CODES):
        widths[pattern] = value
    assert modules.endswith(charset.STOP + "11")  # stop symbol and the final bar
    body = modules[:-13]
    values = [widths[body[i : i + 11]] for i in range(0, len(body), 11)]
    start, *data, check = values
    assert check == (start + sum(i * v for i, v in enumerate(data, start=1))) % 103
    code_set = {103: "A", 104: "B", 105: "C"}[start]
    out = ""
    for v in data:
        if code_set == "C" and v < 100:  # in set C every value below 100 is two digits, 99 included
            out += f"{v:02d}"
        elif v == 99:
            code_set = "C"
        elif v == 100 and code_set != "B":
            code_set = "B"
        elif v == 101 and code_set != "A":
            code_set = "A"
        else:
            out += chr(v + 32)
    return out


@given(st.text(alphabet=string.ascii_uppercase + string.digits + "-_.", min_size=1, max_size=24))
def test_code128_bars_decode_to_the_sku(sku):
    assert _decode_code128(codes.code128_modules(sku)) == sku


def test_code128_of_a_demo_sku():
    assert _decode_code128(codes.code128_modules("LPA-ANY-001")) == "LPA-ANY-001"
    assert _decode_code128(codes.code128_modules("20260001")) == "20260001"
    # Found by hypothesis: in set C the value 99 is the digits "99", not a switch of set.
    assert _decode_code128(codes.code128_modules("99")) == "99"
    assert _decode_code128(codes.code128_modules("A9999")) == "A9999"
    assert _decode_code128(codes.code128_modules("9912")) == "9912"
    assert _decode_code128(codes.code128_modules("9999")) == "9999"
