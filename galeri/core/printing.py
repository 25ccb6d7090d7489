"""Text for receipt and label printers (ESC/POS).

A printer takes control bytes as commands: ESC p opens the cash drawer, GS V cuts. A
product, unit or cashier name is data, so every control or format character in it is
dropped before it reaches the printer. The printer's code page is plain ASCII here:
accents lose their marks (é -> e), dashes and curly quotes become their ASCII kin, and
anything else becomes "?".
"""

import unicodedata

_ASCII_KIN = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."}
)


def printer_text(text) -> str:
    """``text`` safe for an ESC/POS printer: no control characters, ASCII only."""
    text = unicodedata.normalize("NFKD", str(text).translate(_ASCII_KIN))
    kept = "".join(ch for ch in text if not unicodedata.category(ch).startswith(("C", "M")))
    return kept.encode("ascii", "replace").decode("ascii")
