"""Barcodes of price labels: EAN-13 check digits, in-store EAN-13 codes, Code 128 modules.

Code 128 bars come from python-barcode (its optimiser picks code sets B and C);
the sheet draws them as rectangles, so what a scanner reads is exactly the
module string python-barcode computed. EAN-13 in-store codes use the GS1
"restricted circulation" prefixes 20–29, which never clash with a factory code.
"""

from barcode import EAN13, Code128

EAN_PREFIXES = tuple(f"2{d}" for d in range(10))
EAN_BODY_DIGITS = 10  # prefix (2) + body (10) + check digit (1) = 13


def ean13_check_digit(first12: str) -> int:
    """The GS1 check digit: weights 1, 3, 1, 3 ... from the left over 12 digits."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("EAN-13 needs 12 digits before the check digit")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def is_valid_ean13(code) -> bool:
    code = code or ""
    return len(code) == 13 and code.isdigit() and int(code[-1]) == ean13_check_digit(code[:12])


def in_store_ean13(prefix: str, number: int) -> str:
    """``prefix`` ("20"–"29") + ``number`` on 10 digits + check digit."""
    if prefix not in EAN_PREFIXES:
        raise ValueError("in-store EAN-13 prefixes are 20 to 29")
    if not 0 <= number < 10**EAN_BODY_DIGITS:
        raise ValueError("number does not fit in 10 digits")
    first12 = f"{prefix}{number:0{EAN_BODY_DIGITS}d}"
    return first12 + str(ean13_check_digit(first12))


class _Code128(Code128):
    """python-barcode's Code 128 with one fix: it folds "start, switch to C" into "start C" by
    looking at the second value only, so when the code already starts in set C and its first
    two digits are "99" (value 99, the same number as the switch), those digits vanish:
    "99" became an empty barcode and "9912" read back as "12" (found by hypothesis)."""

    def _try_to_optimize(self, encoded):
        if encoded[0] == START_C:
            return encoded
        return super()._try_to_optimize(encoded)


START_C = 105


def code128_modules(text: str) -> str:
    """The bars of Code 128 for ``text`` as '1' (bar) and '0' (space) modules, quiet zones excluded."""
    return _Code128(text).build()[0]


def ean13_modules(code: str) -> str:
    """The bars of an EAN-13 code (13 digits, check digit verified)."""
    if not is_valid_ean13(code):
        raise ValueError("not a valid EAN-13")
    return EAN13(code[:12]).build()[0]


def code128_encodable(text: str) -> bool:
    """Code 128 carries ASCII 32–126 here (what a keyboard-wedge scanner types back)."""
    return bool(text) and all(32 <= ord(c) <= 126 for c in text)
