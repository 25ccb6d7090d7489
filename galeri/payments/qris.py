"""QRIS: the EMVCo merchant-presented QR code that Indonesian payment apps read.

A QRIS payload is a string of TLV fields: a two-digit tag, a two-digit length
and the value, e.g. ``5802ID`` (tag 58, country, length 2, "ID"). Tag 00 comes
first (payload format "01"), tag 63 last (a CRC-16/CCITT-FALSE over everything
before its four hex digits, including the "6304" itself).

A unit's *static* QRIS (tag 01 = "11") carries no amount: the buyer types it.
``to_dynamic`` turns it into a one-payment code (tag 01 = "12") with the amount
in tag 54, so the buyer's app shows the exact sum and the buyer cannot mistype
it. The money still lands in the unit's own merchant account; nothing here
talks to a bank or an acquirer, so a payment made with it is confirmed by staff
who see it arrive in their merchant app (see ``docs/payments.md``).

This module is a pure codec: no database, no models. Every malformed payload
raises ``QrisError`` with a message in Indonesian.
"""

import base64
import functools
import re
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The EMVCo specification limits the whole payload to 512 characters.
MAX_PAYLOAD_LENGTH = 512
# Tag 54 holds at most 13 characters; whole rupiah only.
MAX_AMOUNT = 9_999_999_999_999
# Top-level tags whose value is itself a list of TLV fields.
TEMPLATE_TAGS = frozenset({f"{n:02d}" for n in range(26, 52)} | {"62", "64"} | {f"{n:02d}" for n in range(80, 100)})
# Tags to_dynamic removes: the amount and the tip / convenience fee fields.
AMOUNT_TAGS = ("54", "55", "56", "57")

_HEX4 = re.compile(r"[0-9A-F]{4}")
_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,2}))?")


class QrisError(ValueError):
    """A payload that is not a valid QRIS; the message is for the user (Indonesian)."""


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0) as 4 upper-case hex digits.

    ``data`` is the payload up to and including "6304".
    """
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def _split_tlv(text: str, where: str = "") -> list:
    """[(tag, value), ...] of a TLV string; QrisError on a bad tag, length or a value running past the end."""
    fields = []
    i = 0
    n = len(text)
    while i < n:
        if n - i < 4:
            raise QrisError(_("QRIS tidak valid: data terpotong di posisi %(pos)d%(where)s.") % {"pos": i + 1, "where": where})
        tag, length = text[i : i + 2], text[i + 2 : i + 4]
        if not (tag.isdigit() and tag.isascii()):
            raise QrisError(
                _("QRIS tidak valid: tag “%(tag)s” di posisi %(pos)d%(where)s bukan dua angka.")
                % {"tag": tag, "pos": i + 1, "where": where}
            )
        if not (length.isdigit() and length.isascii()):
            raise QrisError(
                _("QRIS tidak valid: panjang data tag %(tag)s%(where)s bukan dua angka.") % {"tag": tag, "where": where}
            )
        size = int(length)
        if size == 0:
            raise QrisError(_("QRIS tidak valid: tag %(tag)s%(where)s kosong.") % {"tag": tag, "where": where})
        if i + 4 + size > n:
            raise QrisError(_("QRIS tidak valid: isi tag %(tag)s%(where)s melewati akhir data.") % {"tag": tag, "where": where})
        fields.append((tag, text[i + 4 : i + 4 + size]))
        i += 4 + size
    return fields


def _join_tlv(fields) -> str:
    return "".join(f"{tag}{len(value):02d}{value}" for tag, value in fields)


@dataclass(frozen=True)
class Qris:
    """A parsed, checked QRIS payload. ``fields`` are the top-level (tag, value) pairs in order."""

    fields: tuple

    def get(self, tag: str, default=None):
        for t, value in self.fields:
            if t == tag:
                return value
        return default

    def __contains__(self, tag) -> bool:
        return any(t == tag for t, _v in self.fields)

    @property
    def payload(self) -> str:
        """The payload again, character for character."""
        return _join_tlv(self.fields)

    def template(self, tag: str) -> list:
        """The sub-fields of a template tag (26-51 merchant accounts, 62 additional data, 64 language)."""
        value = self.get(tag)
        if value is None:
            return []
        return _split_tlv(value, where=_(" (di dalam tag %(tag)s)") % {"tag": tag})

    @property
    def merchant_name(self) -> str | None:
        return self.get("59")

    @property
    def merchant_city(self) -> str | None:
        return self.get("60")

    @property
    def postal_code(self) -> str | None:
        return self.get("61")

    @property
    def country(self) -> str | None:
        return self.get("58")

    @property
    def currency(self) -> str | None:
        return self.get("53")

    @property
    def crc(self) -> str:
        return self.get("63")

    @property
    def is_dynamic(self) -> bool:
        return self.get("01") == "12"

    @property
    def amount(self) -> int | None:
        """Tag 54 in whole rupiah, or None for a static code (``parse`` has refused fractions)."""
        value = self.get("54")
        if value is None:
            return None
        return int(_AMOUNT.fullmatch(value).group(1))


def parse(payload: str) -> Qris:
    """Check and split a QRIS payload. Raises QrisError (Indonesian message) on anything malformed."""
    if not isinstance(payload, str) or not payload:
        raise QrisError(_("QRIS kosong atau bukan teks."))
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise QrisError(
            _("QRIS terlalu panjang (%(n)d karakter); paling panjang %(max)d.") % {"n": len(payload), "max": MAX_PAYLOAD_LENGTH}
        )
    for pos, char in enumerate(payload, start=1):
        if not (" " <= char <= "~"):
            raise QrisError(
                _("QRIS tidak valid: karakter tidak dikenal di posisi %(pos)d (hanya huruf, angka dan tanda baca ASCII).")
                % {"pos": pos}
            )
    fields = _split_tlv(payload)
    if fields[0] != ("00", "01"):
        raise QrisError(_("QRIS tidak valid: harus diawali tag 00 bernilai 01 (format EMVCo)."))
    tags = [tag for tag, _v in fields]
    last_tag, crc_value = fields[-1]
    if last_tag != "63" or tags.count("63") != 1:
        raise QrisError(_("QRIS tidak valid: kode pemeriksa (tag 63) harus menjadi bagian terakhir."))
    if len(crc_value) != 4 or not _HEX4.fullmatch(crc_value):
        raise QrisError(_("QRIS tidak valid: kode pemeriksa (tag 63) harus empat digit heksadesimal huruf besar."))
    duplicated = sorted({tag for tag in tags if tags.count(tag) > 1})
    if duplicated:
        raise QrisError(_("QRIS tidak valid: tag %(tags)s muncul lebih dari sekali.") % {"tags": ", ".join(duplicated)})
    expected = crc16(payload[:-4])
    if crc_value != expected:
        raise QrisError(
            _("QRIS tidak valid: kode pemeriksa %(found)s tidak cocok (seharusnya %(expected)s). Data rusak atau salah salin.")
            % {"found": crc_value, "expected": expected}
        )
    qris = Qris(fields=tuple(fields))
    initiation = qris.get("01")
    if initiation is not None and initiation not in ("11", "12"):
        raise QrisError(_("QRIS tidak valid: tag 01 harus 11 (statis) atau 12 (dinamis)."))
    amount = qris.get("54")
    if amount is not None:
        match = _AMOUNT.fullmatch(amount)
        if not match:
            raise QrisError(_("QRIS tidak valid: nominal (tag 54) “%(value)s” bukan angka.") % {"value": amount})
        if (match.group(2) or "0").strip("0"):
            raise QrisError(_("QRIS tidak valid: nominal (tag 54) harus rupiah bulat, tanpa sen."))
    for tag in tags:
        if tag in TEMPLATE_TAGS:
            qris.template(tag)  # a template must itself be well-formed TLV
    return qris


def _check_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise QrisError(_("Nominal QRIS harus bilangan bulat rupiah."))
    if not 1 <= amount <= MAX_AMOUNT:
        raise QrisError(_("Nominal QRIS harus antara Rp 1 dan Rp %(max)s.") % {"max": f"{MAX_AMOUNT:,}".replace(",", ".")})
    return amount


def _put(fields: list, tag: str, value: str) -> None:
    """Set ``tag`` in place if present, else insert it in ascending tag order (never after 63)."""
    for i, (t, _v) in enumerate(fields):
        if t == tag:
            fields[i] = (tag, value)
            return
    for i, (t, _v) in enumerate(fields):
        if i > 0 and (t > tag or t == "63"):
            fields.insert(i, (tag, value))
            return
    fields.append((tag, value))


def with_crc(body: str) -> str:
    """``body`` (everything before tag 63) with "6304" and its CRC appended."""
    data = body + "6304"
    return data + crc16(data)


def to_dynamic(payload: str, amount: int) -> str:
    """A one-payment QRIS for ``amount`` rupiah made from a static (or dynamic) payload.

    Tag 01 becomes "12"; tag 54 holds the amount and 55-57 (tip, fees) go;
    every other field keeps its place; the CRC is recomputed.
    """
    amount = _check_amount(amount)
    qris = parse(payload)
    if qris.currency != "360":
        raise QrisError(_("QRIS ini bukan untuk rupiah (tag 53 harus 360)."))
    fields = [(tag, value) for tag, value in qris.fields if tag not in AMOUNT_TAGS and tag != "63"]
    _put(fields, "01", "12")
    _put(fields, "54", str(amount))
    result = with_crc(_join_tlv(fields))
    parse(result)  # e.g. too long once the amount is added
    return result


def build_dynamic(
    merchant_name: str, city: str, nmid: str, amount: int, reference: str = "", acquirer: str = "ID.GALERIKARYA.SIM"
) -> str:
    """A dynamic QRIS made from scratch for one payment: a merchant account under ``acquirer``
    (tag 26), the national QRIS template with the NMID (tag 51), MCC 5999, rupiah, ``amount`` in
    tag 54, name and city (59, 60, trimmed to their EMVCo limits) and ``reference`` as the bill
    number (tag 62, sub-tag 01). Used by the simulated acquirer; ``parse`` accepts the result.
    """
    amount = _check_amount(amount)

    def clean(text, limit):
        text = "".join(ch for ch in str(text) if " " <= ch <= "~").strip()
        return text[:limit] or "-"

    pan = "936000" + f"{zlib.crc32(str(nmid).encode('utf-8')):010d}"  # a made-up PAN, stable per NMID
    merchant = _join_tlv([("00", acquirer[:32]), ("01", pan), ("02", clean(nmid, 15)), ("03", "UMI")])
    national = _join_tlv([("00", "ID.CO.QRIS.WWW"), ("02", clean(nmid, 15)), ("03", "UMI")])
    fields = [
        ("00", "01"),
        ("01", "12"),
        ("26", merchant),
        ("51", national),
        ("52", "5999"),
        ("53", "360"),
        ("54", str(amount)),
        ("58", "ID"),
        ("59", clean(merchant_name, 25)),
        ("60", clean(city, 15)),
    ]
    if reference:
        fields.append(("62", _join_tlv([("01", clean(reference, 25))])))
    result = with_crc(_join_tlv(fields))
    parse(result)
    return result


@functools.lru_cache(maxsize=512)
def qr_svg(payload: str, title: str | None = None, scale: int = 6) -> str:
    """The payload as an SVG QR code (error correction M), checked first.

    ``scale`` 6 gives about 400 px for a typical QRIS: sharp on a phone and
    readable from another phone's camera. No XML declaration, a <title> for
    screen readers; the markup can go inline or through ``svg_data_uri``.
    Kept per process (a pure function of its arguments): a buyer reloading the order page and
    the cashier's QRIS screen redraw the same code, and drawing one takes ~15 ms.
    """
    import io

    import segno

    parse(payload)
    qr = segno.make_qr(payload, error="m", boost_error=False)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=scale,
        border=4,
        dark="#000000",
        light="#ffffff",
        xmldecl=False,
        svgns=True,
        title=title or _("Kode QRIS"),
        svgclass="qris",
        lineclass=None,
    )
    return out.getvalue().decode("utf-8")


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml;base64,...`` for an <img src>: allowed by our CSP (img-src data:)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
