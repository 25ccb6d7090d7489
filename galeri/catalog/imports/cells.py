"""Parsing one cell into a Product field value, or a CellError with a reason the user can read."""

import datetime
import re

from django.utils.translation import gettext as _

from galeri.catalog.imports.columns import (
    CONTROL,
    FALSE_WORDS,
    INT_LIMITS,
    LIMITS,
    MAX_PRICE,
    MULTILINE,
    TRUE_WORDS,
    Column,
)
from galeri.core.money import parse_rupiah


class CellError(ValueError):
    pass


def _text(value, key):
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "ya" if value else "tidak"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()[:10]
    text = str(value)
    if key not in MULTILINE:
        text = " ".join(text.split())
    else:
        text = text.replace("\r\n", "\n").strip()
    # Undo the export's guard against formulas ('=SUM... -> =SUM...): stored as plain text.
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    if CONTROL.search(text):
        raise CellError(_("berisi karakter kendali yang tidak diizinkan"))
    limit = LIMITS.get(key, 200)
    if len(text) > limit:
        raise CellError(_("terlalu panjang (%(n)s karakter; paling banyak %(max)s)") % {"n": len(text), "max": limit})
    return text


def _price(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError(_("wajib diisi"))
    if isinstance(value, bool):
        raise CellError(_("harus angka rupiah"))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("harus rupiah bulat tanpa sen"))
        value = int(value)
    try:
        amount = parse_rupiah(value)
    except (ValueError, TypeError):
        raise CellError(_("harus angka rupiah, mis. 150000"))
    if amount <= 0:
        raise CellError(_("harus lebih dari 0"))
    if amount > MAX_PRICE:
        raise CellError(_("terlalu besar"))
    return amount


def _int(value, key):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("harus bilangan bulat"))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("harus bilangan bulat"))
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "")
        if not cleaned.isascii() or not cleaned.isdigit():
            raise CellError(_("harus bilangan bulat 0 atau lebih"))
        value = int(cleaned)
    if not isinstance(value, int) or value < 0 or value > INT_LIMITS[key]:
        raise CellError(_("harus bilangan bulat antara 0 dan %(max)s") % {"max": INT_LIMITS[key]})
    return value


def _bool(value):
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("isi “ya” atau “tidak”"))


def _date(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(_("tanggal tidak valid (tulis YYYY-MM-DD, mis. 2026-12-31)"))


def parse_cell(column: Column, value):
    if column.kind == "price":
        return _price(value)
    if column.kind == "int":
        return _int(value, column.key)
    if column.kind == "bool":
        return _bool(value)
    if column.kind == "date":
        return _date(value)
    return _text(value, column.key)
