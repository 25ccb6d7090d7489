"""Shared pieces of the made-to-order writes: the domain error, limits and small checks, the
order lock and the wrong-step error. Imported by workflow, services, quotes, money and making (never the other way).
"""

import re
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.core.errors import DomainError
from galeri.custom_orders.models import CustomOrder
from galeri.payments.models import PaymentMethod, proof_storage

MAX_QUANTITY = 100_000
MAX_TOTAL = 2_000_000_000  # production settlements hold whole rupiah in a 32-bit column
MAX_QUOTE_LINES = 20
BUYER_METHODS = (PaymentMethod.QRIS, PaymentMethod.TRANSFER)


class CustomOrderError(DomainError):
    """Bad input or a step that is not possible now; the message is for the user."""


# --- Small checks ---------------------------------------------------------------------------


def _text(value, limit, label, *, required=False):
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise CustomOrderError(_("%(label)s wajib diisi.") % {"label": label}, code="required")
    if len(value) > limit:
        raise CustomOrderError(_("%(label)s paling panjang %(n)d karakter.") % {"label": label, "n": limit}, code="too_long")
    return value


def _int(value, label, *, minimum, maximum):
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise CustomOrderError(
            _("%(label)s harus bilangan bulat antara %(min)s dan %(max)s.")
            % {"label": label, "min": f"{minimum:,}".replace(",", "."), "max": f"{maximum:,}".replace(",", ".")},
            code="bad_number",
        )
    return value


def clean_npwp(value) -> str:
    """NPWP digits: 15 (the old form 01.234.567.8-901.000) or 16 (NIK-based since 2024). Empty is allowed."""
    value = (value or "").strip()
    if not value:
        return ""
    if not re.fullmatch(r"[0-9.\- ]+", value):
        raise CustomOrderError(_("NPWP hanya berisi angka (boleh dengan titik dan tanda hubung)."), code="bad_npwp")
    digits = re.sub(r"\D", "", value)
    if len(digits) not in (15, 16):
        raise CustomOrderError(_("NPWP harus 15 atau 16 angka; yang diisi %(n)d angka.") % {"n": len(digits)}, code="bad_npwp")
    return digits


def _today(now=None):
    return clock.today(now)


def _lock(order) -> CustomOrder:
    return CustomOrder.objects.select_for_update(of=("self",)).select_related("unit", "accepted_quote").get(pk=order.pk)


def _refresh(target, source):
    for f in CustomOrder._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def _wrong_step(order):
    return CustomOrderError(
        _("Pesanan %(code)s sedang berstatus %(status)s; langkah ini tidak bisa dilakukan sekarang.")
        % {"code": order.code, "status": order.get_status_display().lower()},
        code="wrong_step",
    )


# --- The request ------------------------------------------------------------------------------


def _store_images(cleaned_images) -> list:
    storage = proof_storage()
    written = []
    try:
        for cleaned in cleaned_images:
            name = storage.save(f"pesanan-khusus/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.webp", ContentFile(cleaned.full))
            written.append((name, cleaned))
    except Exception:
        for name, _c in written:
            storage.delete(name)
        raise
    return written


def _delete_files(names):
    storage = proof_storage()
    for name in names:
        storage.delete(name)
