"""How to pay: the one presenter of payment instructions, for every page, PDF and receipt.

``instructions_for(payment)`` (or ``instructions_for_amount(unit, method, amount)`` where no
payment record exists yet, e.g. the counter's QRIS screen) returns an ``Instructions``: the
method, the exact amount to pay (with the kode unik of a transfer), the deadline, and per method

- QRIS: the code (SVG data URI for an ``<img>``, and a signed link to the same code as PNG for
  "Simpan QRIS") with the merchant's name, NMID and city read from the very payload shown, so a
  buyer can check in their app whom they pay;
- transfer: the unit's bank, account number and holder, and the kode unik note;
- cash at the gallery: the gallery's address and opening hours; COD: pay the courier.

Pages render it with the one include ``payments/_instructions.html``; PDFs use ``text_lines()``
and ``qris_png``. A QRIS comes from the payment's pending acquirer charge when there is one
(a dynamic code with the exact amount), else from the unit's static QRIS with the amount written in.
"""

import io
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.core import clock, links
from galeri.core.dates import format_wit
from galeri.core.money import format_rupiah
from galeri.payments import services
from galeri.payments.models import Charge, ChargeStatus, Payment, PaymentMethod
from galeri.payments.qris import QrisError, parse, qr_svg, svg_data_uri
from galeri.units.models import Unit

# "Simpan QRIS": a signed link to the PNG of one code (unit, amount, and the charge when the
# code came from an acquirer). It is made only on a page that shows that code.
QRIS_PNG = links.Purpose(salt="galeri.payments.qris-png", max_age=30 * 24 * 3600)
# The national QRIS template (Bank Indonesia): its sub-tag 02 is the NMID ("ID10...").
NATIONAL_GUI = "ID.CO.QRIS.WWW"
PNG_SCALE = 8


@dataclass(frozen=True)
class Merchant:
    """Whom a QRIS pays, as the buyer's app shows it: name (tag 59), NMID, city (tag 60)."""

    name: str
    nmid: str
    city: str


def merchant_of(payload: str) -> Merchant | None:
    """The merchant of a QRIS payload, or None when it is empty or not a valid QRIS.

    The NMID is sub-tag 02 of the national template (tag 51, globally unique id
    ``ID.CO.QRIS.WWW``); a code that carries the national id in another merchant account
    template (26-50) is read there. Missing parts are empty strings.
    """
    try:
        qris = parse((payload or "").strip())
    except QrisError:
        return None
    nmid = ""
    tags = ["51"] + [f"{n:02d}" for n in range(26, 51)]
    for tag in tags:
        sub = dict(qris.template(tag))
        if sub.get("00", "").upper() == NATIONAL_GUI and sub.get("02", "").startswith("ID"):
            nmid = sub["02"]
            break
    return Merchant(name=qris.merchant_name or "", nmid=nmid, city=qris.merchant_city or "")


def unit_merchant(unit) -> Merchant | None:
    """The unit's QRIS merchant (from its static QRIS), None when it has no valid QRIS."""
    return merchant_of(unit.qris_payload or "")


@dataclass
class Instructions:
    """Everything a buyer needs to pay one amount one way. Built by ``instructions_for*``."""

    unit: object
    method: str
    amount: int
    unique_code: int = 0
    deadline: object = None
    reference: str = ""
    qris_payload: str = ""
    qris_src: str = ""
    png_url: str = ""
    merchant: Merchant | None = None
    error: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""
    place: str = ""
    opening_hours: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def method_label(self) -> str:
        return PaymentMethod(self.method).label if self.method in PaymentMethod.values else self.method

    @property
    def base_amount(self) -> int:
        return self.amount - self.unique_code

    @property
    def amount_head(self) -> str:
        """The amount as text without its last three digits when a kode unik lives there (they are marked)."""
        text = format_rupiah(self.amount)
        return text[:-3] if self.unique_code and len(text) > 4 else text

    @property
    def amount_tail(self) -> str:
        text = format_rupiah(self.amount)
        return text[-3:] if self.unique_code and len(text) > 4 else ""

    @property
    def account_digits(self) -> str:
        """The account number as a bank app wants it pasted: digits only."""
        return "".join(ch for ch in self.bank_account_number if ch.isdigit())

    def text_lines(self) -> list:
        """The instructions as plain lines (Indonesian), for a PDF or a printed receipt."""
        amount = format_rupiah(self.amount)
        lines = []
        if self.method == PaymentMethod.QRIS:
            if self.error:
                lines.append(self.error)
            else:
                lines.append(_("Bayar dengan QRIS tepat %(amount)s.") % {"amount": amount})
                if self.merchant:
                    lines.append(
                        _("Merchant: %(name)s · NMID %(nmid)s · %(city)s")
                        % {"name": self.merchant.name, "nmid": self.merchant.nmid or "-", "city": self.merchant.city}
                    )
        elif self.method == PaymentMethod.TRANSFER:
            lines.append(_("Transfer tepat %(amount)s.") % {"amount": amount})
            lines.append(
                _("%(bank)s · %(number)s · a.n. %(holder)s")
                % {"bank": self.bank_name, "number": self.bank_account_number, "holder": self.bank_account_name}
            )
            if self.unique_code:
                lines.append(
                    _("Termasuk kode unik Rp %(code)s: transfer tepat sampai tiga angka terakhir.") % {"code": self.unique_code}
                )
        elif self.method == PaymentMethod.CASH:
            lines.append(_("Bayar tunai %(amount)s di galeri: %(place)s.") % {"amount": amount, "place": self.place})
            if self.opening_hours:
                lines.append(_("Jam buka: %(hours)s") % {"hours": " · ".join(self.opening_hours.splitlines())})
        elif self.method == PaymentMethod.COD:
            lines.append(_("Bayar tunai %(amount)s kepada petugas saat barang diantar.") % {"amount": amount})
        if self.deadline:
            lines.append(_("Bayar sebelum %(when)s.") % {"when": format_wit(self.deadline)})
        return lines


def _pending_charge(payment: Payment):
    """The payment's newest acquirer charge still waiting to be paid, or None."""
    if payment.pk is None:
        return None
    return (
        Charge.objects.filter(payment=payment, status=ChargeStatus.PENDING, expires_at__gt=clock.now())
        .order_by("-created_at", "-id")
        .first()
    )


def _static_payload(unit, amount: int) -> str:
    try:
        return services.qris_payload_for(unit, amount)
    except services.PaymentError as exc:
        raise QrisError(" ".join(exc.messages)) from exc


def _fill_qris(ins: Instructions, charge=None) -> None:
    try:
        payload = charge.payload if charge is not None else _static_payload(ins.unit, ins.amount)
        title = _("QRIS %(name)s, %(amount)s") % {"name": ins.unit.short_name, "amount": format_rupiah(ins.amount)}
        ins.qris_src = svg_data_uri(qr_svg(payload, title=title))
    except QrisError as exc:
        ins.error = str(exc) or _("QRIS unit belum bisa ditampilkan. Hubungi unit lewat WhatsApp.")
        return
    ins.qris_payload = payload
    ins.merchant = merchant_of(payload)
    ins.png_url = qris_png_url(ins.unit, ins.amount, charge)


def instructions_for_amount(
    unit, method: str, amount: int, *, deadline=None, reference: str = "", unique_code: int = 0, charge=None
) -> Instructions:
    """How to pay ``amount`` to ``unit`` by ``method`` (no payment record needed)."""
    ins = Instructions(
        unit=unit, method=str(method), amount=int(amount), unique_code=unique_code, deadline=deadline, reference=reference
    )
    if ins.method == PaymentMethod.QRIS:
        _fill_qris(ins, charge)
    elif ins.method == PaymentMethod.TRANSFER:
        ins.bank_name = unit.bank_name
        ins.bank_account_number = unit.bank_account_number
        ins.bank_account_name = unit.bank_account_name or unit.official_name
    elif ins.method == PaymentMethod.CASH:
        ins.place = unit.gallery_address or unit.address or unit.official_name
        ins.opening_hours = unit.opening_hours
    return ins


def instructions_for(payment: Payment, *, deadline=None) -> Instructions:
    """How to pay one payment: its method and exact amount (kode unik included). A QRIS payment
    with a pending acquirer charge shows that charge's code and deadline."""
    charge = _pending_charge(payment) if payment.method == PaymentMethod.QRIS else None
    if charge is not None:
        deadline = deadline or charge.expires_at
    return instructions_for_amount(
        payment.unit,
        payment.method,
        payment.amount,
        deadline=deadline,
        reference=payment.reference,
        unique_code=payment.unique_code,
        charge=charge,
    )


# --- "Simpan QRIS" -------------------------------------------------------------------------


def qris_png_url(unit, amount: int, charge=None) -> str:
    token = links.dumps(QRIS_PNG, {"u": unit.pk, "a": int(amount), "c": charge.pk if charge is not None else None})
    return reverse("payment_qris_png", kwargs={"token": token})


def png_of(payload: str) -> bytes:
    """The QR code of ``payload`` as PNG (error correction M, like the SVG)."""
    import segno

    out = io.BytesIO()
    segno.make_qr(payload, error="m", boost_error=False).save(out, kind="png", scale=PNG_SCALE, border=4)
    return out.getvalue()


def qris_png(token: str) -> tuple:
    """(filename, PNG bytes) of the code a ``qris_png_url`` token points at.

    ``links.BadLink`` when the token is forged, expired or points at nothing that can still be
    paid (an unknown unit, a charge no longer pending); ``QrisError`` when the unit's QRIS broke.
    """
    data = links.loads(QRIS_PNG, token)
    if not isinstance(data, dict):
        raise links.BadLink
    unit = Unit.objects.filter(pk=data.get("u")).first()
    amount = data.get("a")
    if unit is None or isinstance(amount, bool) or not isinstance(amount, int):
        raise links.BadLink
    if data.get("c") is not None:
        charge = Charge.objects.filter(pk=data["c"], payment__unit=unit, amount=amount, status=ChargeStatus.PENDING).first()
        if charge is None:
            raise links.BadLink
        payload = charge.payload
    else:
        payload = _static_payload(unit, amount)
    return f"qris-{unit.code}-{amount}.png".lower(), png_of(payload)
