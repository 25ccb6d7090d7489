"""Cleaning typed text before it is stored or put into a mail.

``single_line`` is for a name, a phone number, an address line, a subject: it never holds a line
break or a control character (so it can go into a mail header), and runs of whitespace become one
space. ``multi_line`` is for a note or a description: it keeps newlines (``\\n`` only) and tabs
and drops every other control character.
"""

import re
import unicodedata

# Line breaks as Python (and some mail readers) see them, besides \n.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _drop_controls(text: str, keep: str = "") -> str:
    return "".join(c for c in text if c in keep or unicodedata.category(c) != "Cc")


def single_line(value) -> str:
    """One line: whitespace (line breaks included) collapsed to single spaces, controls dropped."""
    text = "" if value is None else str(value)
    return " ".join(_drop_controls(" ".join(text.split())).split())


def multi_line(value) -> str:
    """Lines separated by ``\\n``; tabs kept; every other control character dropped."""
    text = "" if value is None else str(value)
    text = _BREAKS.sub("\n", text)
    return _drop_controls(text, keep="\n\t").strip()
