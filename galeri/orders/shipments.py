"""Shipments: a unit order's parcels from the gallery to the buyer (issue 17 item 4).

One ``Shipment`` per order (courier, the unit's own delivery, or pickup at the gallery) with its
parcels (weight and size, suggested from the products: ``catalog.parcels.parcel_of``), the resi,
a tracking link and the tracking history. Where a step changes the order's status it is a row of
the order's workflow table (``orders.workflow``), never a status of its own:

- dikemas: ``proses`` when the order is paid (or cash on delivery) and not processing yet;
- diserahkan ke kurir / dikirim: ``kirim`` (the buyer's "shipped" message with resi and link);
- terkirim: ``terkirim`` (the buyer's "delivered" message; the order is completed). An order
  still waiting for its cash on delivery stays *dikirim* with a note: staff record the money,
  then finish it;
- sudah diambil: ``selesai`` from *siap diambil*.

Tracking comes from ``galeri.shipping.tracking`` (a poll, ``manage.py poll_tracking``, or the
Biteship webhook, ``shipment_views.biteship_webhook``): the events are stored once each, and a
delivered parcel moves the order through ``terkirim`` as the system.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from galeri.catalog.parcels import parcel_of
from galeri.core import clock, timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.orders import links
from galeri.orders.base import CASH_METHODS, OrderError
from galeri.orders.models import (
    Fulfilment,
    OrderStatus,
    Shipment,
    ShipmentEvent,
    ShipmentMethod,
    ShipmentParcel,
    ShipmentStatus,
)
from galeri.orders.workflow import ORDER
from galeri.shipping.models import OptionKind, RateQuote
from galeri.shipping.tracking import TrackingError, tracker
from galeri.shipping.tracking.base import DELIVERED, PICKED_UP, STATUS_LABELS, normal_resi, valid_resi
from galeri.shipping.tracking.biteship import parse_webhook
from galeri.units.scoping import can

logger = logging.getLogger(__name__)

S = OrderStatus
SS = ShipmentStatus
MAX_PARCELS = 10
MAX_GRAMS = 150_000
MAX_SIDE_CM = 400
COURIER_CODE = re.compile(r"^[a-z0-9_-]{2,20}$")
# Before the goods leave: the shipment may still be changed.
EDITABLE = (SS.PENDING, SS.PACKED)
# Order states in which a shipment may be prepared.
PREPARABLE = (S.PAID, S.PROCESSING, S.READY, S.AWAITING_PAYMENT)


@dataclass(frozen=True)
class ParcelSize:
    weight_grams: int
    length_cm: int
    width_cm: int
    height_cm: int


def _chosen_courier(order) -> tuple[str, str, str]:
    """(code, name, service) of the courier the buyer chose at checkout, from the held rate."""
    if order.delivery_kind != OptionKind.COURIER:
        return "", "", ""
    quote = RateQuote.objects.filter(pk=order.delivery_quote).first() if order.delivery_quote else None
    if quote is None:
        return "", order.delivery_courier, order.delivery_service
    return quote.courier_code, quote.courier_name or order.delivery_courier, quote.service or order.delivery_service


def suggested(order) -> dict:
    """What the console's form starts with: the method, the courier the buyer chose (when the order
    carries it) and one parcel from the products' weights and sizes (``missing``: products whose
    figures are known nowhere, for staff to weigh)."""
    parcel = parcel_of(list(order.lines.select_related("product__category__parent")))
    courier, courier_name, service = _chosen_courier(order)
    courier = courier.lower()
    if order.fulfilment == Fulfilment.PICKUP:
        method = ShipmentMethod.PICKUP
    else:
        method = ShipmentMethod.COURIER if order.delivery_kind == OptionKind.COURIER or courier else ShipmentMethod.UNIT
    size = ParcelSize(max(parcel.grams, 1), max(parcel.length_cm, 1), max(parcel.width_cm, 1), max(parcel.height_cm, 1))
    return {
        "method": method,
        "courier_code": courier,
        "courier_name": courier_name,
        "service": service,
        "parcels": [size],
        "missing": [p.name for p in parcel.missing],
        "defaulted": [p.name for p in parcel.defaulted],
    }


def preparable(order) -> bool:
    """A shipment is prepared once the order is paid (or pays on delivery / at pickup) and open."""
    if order.status == S.AWAITING_PAYMENT:
        return order.payment_method in CASH_METHODS
    return order.status in PREPARABLE


def _may(user, order):
    if not can(user, "orders.manage", order.unit):
        raise PermissionDenied(_("Anda tidak berwenang mengubah pesanan unit ini."))


def _locked(shipment):
    return Shipment.objects.select_for_update().select_related("order", "order__unit").get(pk=shipment.pk)


def _check_parcels(parcels):
    if not parcels:
        raise OrderError(_("Isi setidaknya satu paket (berat dan ukuran)."), code="no_parcel")
    if len(parcels) > MAX_PARCELS:
        raise OrderError(_("Paling banyak %(n)s paket per pesanan.") % {"n": MAX_PARCELS}, code="too_many_parcels")
    for p in parcels:
        figures = (p.weight_grams, p.length_cm, p.width_cm, p.height_cm)
        if any(isinstance(x, bool) or not isinstance(x, int) or x < 1 for x in figures):
            raise OrderError(_("Berat dan ukuran paket harus bilangan bulat lebih dari 0."), code="bad_parcel")
        if p.weight_grams > MAX_GRAMS or max(figures[1:]) > MAX_SIDE_CM:
            raise OrderError(
                _("Paket terlalu besar: paling berat %(g)s gram, sisi paling panjang %(cm)s cm.")
                % {"g": MAX_GRAMS, "cm": MAX_SIDE_CM},
                code="bad_parcel",
            )


def save_shipment(order, user, *, method, parcels, courier_code="", courier_name="", service="", now=None):
    """Create or change the order's shipment (before the goods leave): method, courier, parcels."""
    _may(user, order)
    now = now or clock.now()
    courier_code = (courier_code or "").strip().lower()
    courier_name, service = (courier_name or "").strip()[:60], (service or "").strip()[:40]
    if method not in ShipmentMethod.values:
        raise OrderError(_("Cara kirim tidak dikenal."), code="bad_method")
    if (method == ShipmentMethod.PICKUP) != (order.fulfilment == Fulfilment.PICKUP):
        raise OrderError(
            _("Pesanan ambil di galeri tidak dikirim, dan pesanan antar tidak diambil di galeri."), code="wrong_method"
        )
    if method == ShipmentMethod.COURIER and not COURIER_CODE.match(courier_code):
        raise OrderError(_("Isi kode kurir (mis. jne, pos, sicepat)."), code="courier_required")
    if method != ShipmentMethod.COURIER:
        courier_code = service = ""
        courier_name = ""
    _check_parcels(parcels)
    with transaction.atomic():
        locked = ORDER.lock(order)
        if not preparable(locked):
            raise OrderError(_("Kiriman disiapkan setelah pesanan dibayar (atau COD)."), code="not_ready")
        shipment = Shipment.objects.select_for_update().filter(order=locked).first()
        if shipment is not None and shipment.status not in EDITABLE:
            raise OrderError(_("Paket sudah dikirim: kirimannya tidak bisa diubah lagi."), code="already_shipped")
        created = shipment is None
        shipment = shipment or Shipment(order=locked, created_at=now)
        shipment.method, shipment.courier_code, shipment.courier_name, shipment.service = (
            method,
            courier_code,
            courier_name,
            service,
        )
        shipment.save()
        shipment.parcels.all().delete()
        ShipmentParcel.objects.bulk_create([ShipmentParcel(shipment=shipment, **vars(p)) for p in parcels])
        words = _("Kiriman disiapkan") if created else _("Kiriman diubah")
        timeline.record(
            locked,
            words,
            note=_("%(method)s%(courier)s · %(n)s paket")
            % {
                "method": shipment.get_method_display(),
                "courier": f" {shipment.courier_label}" if shipment.courier_label else "",
                "n": len(parcels),
            },
            actor=Actor.STAFF,
            user=user,
            now=now,
        )
    return shipment


def save_tracking_number(shipment, user, tracking_number, *, tracking_link="", now=None):
    """Staff type the resi from the courier's receipt (letters and digits, 8–30) and, optionally,
    the courier's own tracking page."""
    _may(user, shipment.order)
    resi = normal_resi(tracking_number)
    if not valid_resi(resi):
        raise OrderError(_("Nomor resi terdiri dari 8–30 huruf atau angka."), code="bad_resi")
    link = (tracking_link or "").strip()
    if link and (not link.startswith("https://") or len(link) > 300 or any(c.isspace() for c in link)):
        raise OrderError(_("Tautan lacak harus alamat https:// yang lengkap."), code="bad_link")
    with transaction.atomic():
        locked = _locked(shipment)
        if locked.method != ShipmentMethod.COURIER:
            raise OrderError(_("Nomor resi hanya untuk kiriman lewat kurir."), code="no_courier")
        if locked.status in (SS.DELIVERED, SS.PICKED_UP):
            raise OrderError(_("Paket sudah sampai: resinya tidak diubah lagi."), code="already_delivered")
        taken = Shipment.objects.filter(courier_code=locked.courier_code, tracking_number=resi).exclude(pk=locked.pk)
        if taken.exists():
            raise OrderError(_("Nomor resi ini sudah dipakai kiriman pesanan lain."), code="resi_taken")
        changed = locked.tracking_number and locked.tracking_number != resi
        locked.tracking_number = resi
        if link:
            locked.tracking_link = link
        locked.save(update_fields=["tracking_number", "tracking_link"])
        timeline.record(
            locked.order,
            _("Nomor resi diubah") if changed else _("Nomor resi dicatat"),
            note=f"{locked.courier_label} · {resi}",
            actor=Actor.STAFF,
            user=user,
            now=now,
        )
    return locked


def _start_processing(order, user, now):
    """Packing starts the order's processing when it has not started yet (row ``proses``)."""
    if order.status == S.PAID or (order.status == S.AWAITING_PAYMENT and order.payment_method in CASH_METHODS):
        return transition(ORDER, order, "proses", user=user, now=now, note=_("Paket dikemas"))
    return order


def mark_packed(shipment, user, *, now=None):
    _may(user, shipment.order)
    now = now or clock.now()
    with transaction.atomic():
        locked = _locked(shipment)
        if locked.status != SS.PENDING:
            raise OrderError(_("Paket ini sudah dikemas."), code="already_packed")
        _start_processing(locked.order, user, now)
        locked.status, locked.packed_at = SS.PACKED, now
        locked.save(update_fields=["status", "packed_at"])
    return locked


def _default_link(shipment):
    """Where the buyer follows the parcel: the courier's page when known, else their order page
    (which shows the tracking history)."""
    return settings.SITE_URL + links.tracking_url(shipment.order) + "#pengiriman"


def mark_shipped(shipment, user, *, now=None):
    """The goods leave: row ``kirim`` (diproses → dikirim) and the buyer's "shipped" message with
    the courier, resi and tracking link."""
    _may(user, shipment.order)
    now = now or clock.now()
    with transaction.atomic():
        locked = _locked(shipment)
        if locked.method == ShipmentMethod.PICKUP:
            raise OrderError(_("Pesanan ini diambil di galeri, tidak dikirim."), code="wrong_method")
        if locked.status not in EDITABLE:
            raise OrderError(_("Paket ini sudah dikirim."), code="already_shipped")
        if locked.method == ShipmentMethod.COURIER and not locked.tracking_number:
            raise OrderError(_("Isi nomor resi dari kurir dulu."), code="resi_required")
        order = _start_processing(locked.order, user, now)
        locked.status, locked.shipped_at = SS.SHIPPED, now
        locked.packed_at = locked.packed_at or now
        locked.tracking_link = locked.tracking_link or _default_link(locked)
        if locked.method == ShipmentMethod.COURIER:
            locked.tracking_provider = getattr(settings, "SHIPPING_TRACKING_PROVIDER", "simulated")
            locked.tracking_status = PICKED_UP
        locked.save()
        ShipmentEvent.objects.create(
            shipment=locked,
            happened_at=now,
            status=PICKED_UP,
            note=_("Diserahkan ke kurir") if locked.method == ShipmentMethod.COURIER else _("Dibawa petugas unit"),
            source="petugas",
        )
        note = " · ".join(x for x in (locked.courier_label, locked.tracking_number) if x)
        if order.status != S.SHIPPED:  # the console's plain "Kirim" may have moved it already
            transition(ORDER, order, "kirim", user=user, now=now, note=note)
    return locked


def mark_delivered(shipment, *, user=None, actor=Actor.STAFF, now=None, note=""):
    """The parcel reached the buyer: row ``terkirim`` (the order is completed and the buyer hears
    it). Cash on delivery not recorded yet: the order stays *dikirim* with a note in its history.
    Again on a delivered shipment: nothing happens."""
    if actor == Actor.STAFF:
        _may(user, shipment.order)
    now = now or clock.now()
    with transaction.atomic():
        locked = _locked(shipment)
        if locked.status == SS.DELIVERED:
            return locked
        if locked.status != SS.SHIPPED:
            raise OrderError(_("Tandai paket dikirim dulu."), code="not_shipped")
        locked.status, locked.delivered_at, locked.tracking_status = SS.DELIVERED, now, DELIVERED
        locked.save(update_fields=["status", "delivered_at", "tracking_status"])
        if actor == Actor.STAFF:
            ShipmentEvent.objects.get_or_create(
                shipment=locked,
                happened_at=now,
                note=str(_("Diterima pembeli (dicatat petugas)")),
                defaults={"status": DELIVERED, "source": "petugas"},
            )
        order = locked.order
        if order.status == S.SHIPPED and order.paid_at is not None:
            transition(ORDER, order, "terkirim", user=user, actor=actor, now=now, note=note)
        elif order.status == S.SHIPPED:
            timeline.record(
                order,
                _("Paket diterima pembeli; catat pembayaran lalu selesaikan pesanan"),
                note=note,
                actor=actor,
                user=user,
                now=now,
            )
    return locked


def mark_picked_up(shipment, user, *, now=None):
    """The buyer took the goods at the gallery: row ``selesai`` from *siap diambil*."""
    _may(user, shipment.order)
    now = now or clock.now()
    with transaction.atomic():
        locked = _locked(shipment)
        if locked.method != ShipmentMethod.PICKUP:
            raise OrderError(_("Pesanan ini dikirim, bukan diambil di galeri."), code="wrong_method")
        if locked.status == SS.PICKED_UP:
            raise OrderError(_("Pesanan ini sudah diambil."), code="already_picked_up")
        if locked.order.status != S.READY:
            raise OrderError(_("Tandai pesanan siap diambil dulu."), code="not_ready")
        locked.status, locked.delivered_at = SS.PICKED_UP, now
        locked.packed_at = locked.packed_at or now
        locked.save(update_fields=["status", "delivered_at", "packed_at"])
        transition(ORDER, locked.order, "selesai", user=user, now=now, note=_("Sudah diambil di galeri"))
    return locked


# --- Tracking -----------------------------------------------------------------------------


def apply_tracking(shipment, result, *, source, now=None) -> int:
    """Store what a tracker reported (each event once) and move a delivered parcel's order on.
    Returns how many events were new."""
    now = now or clock.now()
    new = 0
    with transaction.atomic():
        locked = _locked(shipment)
        for event in result.events:
            _event, created = ShipmentEvent.objects.get_or_create(
                shipment=locked,
                happened_at=event.at or now,
                note=event.note[:300],
                defaults={"status": event.status, "location": event.location[:80], "source": source},
            )
            new += created
        locked.tracking_status = result.status
        if result.link:
            locked.tracking_link = result.link
        locked.polled_at = now
        locked.save(update_fields=["tracking_status", "tracking_link", "polled_at"])
    if result.delivered and locked.status == SS.SHIPPED:
        mark_delivered(locked, actor=Actor.SYSTEM, now=now, note=_("Menurut pelacakan kurir"))
    return new


def in_transit():
    return (
        Shipment.objects.filter(status=SS.SHIPPED, method=ShipmentMethod.COURIER)
        .exclude(tracking_number="")
        .select_related("order", "order__unit")
        .order_by("polled_at", "id")
    )


def poll(*, now=None, limit=500) -> dict:
    """Ask each shipment's tracker about every parcel in transit (``manage.py poll_tracking``). A
    provider that fails is logged and asked again next time; the others go on."""
    now = now or clock.now()
    counts = {"checked": 0, "delivered": 0, "failed": 0}
    for shipment in in_transit()[:limit]:
        counts["checked"] += 1
        try:
            result = tracker(shipment.tracking_provider or None).track(
                shipment.courier_code,
                shipment.tracking_number,
                since=shipment.shipped_at,
                now=now,
                phone=shipment.order.buyer_phone,
            )
        except TrackingError as exc:
            counts["failed"] += 1
            logger.warning("tracking %s failed: %s", shipment.order.code, " ".join(exc.messages))
            Shipment.objects.filter(pk=shipment.pk).update(polled_at=now)
            continue
        apply_tracking(shipment, result, source=shipment.tracking_provider or "tracker", now=now)
        counts["delivered"] += result.delivered
    return counts


def biteship_update(payload, *, now=None) -> str:
    """A Biteship webhook body: "ignored" (no waybill, another event), "unknown" (no shipment of
    ours has that resi: logged), "recorded" (an event stored or already known)."""
    update = parse_webhook(payload)
    if update is None:
        return "ignored"
    found = Shipment.objects.filter(tracking_number=update.waybill, method=ShipmentMethod.COURIER)
    shipment = found.filter(courier_code=update.courier).first() or (found.first() if found.count() == 1 else None)
    if shipment is None:
        logger.info("biteship webhook for an unknown waybill (%s, %s): ignored", update.courier, update.event)
        return "unknown"
    now = now or clock.now()
    note = _("Kurir: %(status)s") % {"status": update.provider_status or update.event}
    with transaction.atomic():
        locked = _locked(shipment)
        if update.event == "order.status" and not locked.tracking_events.filter(source="webhook", note=note).exists():
            ShipmentEvent.objects.create(shipment=locked, happened_at=now, status=update.status, note=note, source="webhook")
            locked.tracking_status = update.status
        if update.link:
            locked.tracking_link = update.link
        locked.save(update_fields=["tracking_status", "tracking_link"])
    if update.event == "order.status" and update.status == DELIVERED and locked.status == SS.SHIPPED:
        mark_delivered(locked, actor=Actor.SYSTEM, now=now, note=_("Menurut webhook Biteship"))
    return "recorded"


# --- Reads --------------------------------------------------------------------------------


def shipment_of(order):
    return Shipment.objects.filter(order_id=order.pk).prefetch_related("parcels", "tracking_events").first()


def history(shipment) -> list:
    """The tracking history for a page, newest first, with the status in words."""
    return [
        {"at": e.happened_at, "note": e.note, "location": e.location, "status": str(STATUS_LABELS.get(e.status, ""))}
        for e in sorted(shipment.tracking_events.all(), key=lambda e: (e.happened_at, e.pk), reverse=True)
    ]
