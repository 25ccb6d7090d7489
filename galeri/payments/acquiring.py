"""Payments confirmed by the acquirer: charges, notifications, exactly once.

- ``save_account`` / ``active_account`` / ``ensure_simulated_account``: a unit's provider account
  (secrets sealed at rest, see ``secrets.py``);
- ``create_charge(payment)``: a dynamic QRIS for the exact amount due, from the unit's active
  provider (the network call happens outside any transaction; the ``Charge`` row after);
- ``receive_notification(provider, headers, body)``: what ``POST /pembayaran/notifikasi/<provider>/``
  does, and what the simulated acquirer's "pay" goes through:

  1. the notification is stored as received, in its own transaction, whatever follows;
  2. the charge it names is found and the notification verified with that unit's secrets
     (a bad signature → 401, a bad token → 403, stored as *rejected*, nothing else changes);
  3. it is applied in one transaction with the charge row locked: a notification about a
     charge already settled is a *replay* (200, nothing changes); a paid amount different from
     the amount due, a payment after the charge expired, or a payment no longer pending is
     *flagged* for staff and the payment is NOT confirmed; otherwise the payment is confirmed
     through ``services.confirm_by_acquirer`` and, once committed, the hooks registered for its
     payable type run (``hooks.py``).

- ``pay_simulated(charge)``: the simulated acquirer pays a charge by sending a signed
  notification through ``receive_notification``.
- ``poll_charges()``: ask the provider about pending charges whose notification never came
  (the ``poll_charges`` management command).
"""

import datetime
import logging
import re
import secrets as random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core import clock
from galeri.payments import hooks
from galeri.payments.acquirers import PROVIDERS, adapter_for
from galeri.payments.acquirers.base import EXPIRED, FAILED, PAID, PENDING, REFUNDED, AcquirerError, Notice, VerificationError
from galeri.payments.models import (
    AcquirerNotification,
    Charge,
    ChargeStatus,
    NotificationOutcome,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Provider,
    ProviderAccount,
)
from galeri.payments.qris import QrisError, parse
from galeri.payments.services import PaymentError, confirm_by_acquirer

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
CHARGE_MINUTES = 30
_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


@dataclass(frozen=True)
class Receipt:
    """What the endpoint answers, and the inbox row it kept."""

    status: int
    content_type: str
    body: bytes
    notification: AcquirerNotification

    @property
    def outcome(self) -> str:
        return self.notification.outcome


# --- Accounts -----------------------------------------------------------------------------


def active_account(unit) -> ProviderAccount | None:
    return ProviderAccount.objects.filter(unit=unit, is_active=True).first()


@transaction.atomic
def save_account(unit, provider: str, *, settings: dict | None = None, secrets: dict | None = None, is_active: bool = True):
    """Create or update the unit's account with ``provider``. Secrets given with an empty value
    keep the stored one (a form never shows them back); others are replaced. Activating one
    account deactivates the unit's others."""
    if provider not in PROVIDERS:
        raise PaymentError(_("Penyedia pembayaran tidak dikenal: %(provider)s.") % {"provider": provider}, code="bad_provider")
    account = ProviderAccount.objects.select_for_update().filter(unit=unit, provider=provider).first()
    if account is None:
        account = ProviderAccount(unit=unit, provider=provider)
    if settings is not None:
        account.settings = {k: v for k, v in settings.items() if v not in (None, "")}
    if secrets:
        kept = account.get_secrets() if account.has_secrets else {}
        kept.update({k: v for k, v in secrets.items() if v})
        account.set_secrets(kept)
    if is_active:
        ProviderAccount.objects.filter(unit=unit, is_active=True).exclude(pk=account.pk).update(is_active=False)
    account.is_active = is_active
    account.save()
    return account


def ensure_simulated_account(unit) -> ProviderAccount:
    """The unit's simulated acquirer (the demo's default), made with a random signing key."""
    account = ProviderAccount.objects.filter(unit=unit, provider=Provider.SIMULATED).first()
    if account is not None:
        return account
    has_active = ProviderAccount.objects.filter(unit=unit, is_active=True).exists()
    return save_account(
        unit, Provider.SIMULATED, settings={}, secrets={"signing_key": random.token_urlsafe(32)}, is_active=not has_active
    )


# --- Charges -----------------------------------------------------------------------------


def _charge_reference(payment: Payment) -> str:
    base = _UNSAFE.sub("-", payment.reference).strip("-")[:40] or f"P{payment.pk}"
    return f"{base}-{random.token_hex(3)}"


def create_charge(payment: Payment, expires_at: datetime.datetime | None = None) -> Charge:
    """A dynamic QRIS for exactly what ``payment`` asks, from its unit's active provider.

    A still-valid pending charge for the same payment and amount is returned again (a page
    reload does not ask the provider twice). PaymentError (Indonesian) when the unit has no
    acquirer, the payment is not a pending QRIS payment, or the provider refuses.
    """
    payment.refresh_from_db()
    if payment.method != PaymentMethod.QRIS or payment.status != PaymentStatus.PENDING:
        raise PaymentError(_("Tagihan QRIS hanya dibuat untuk pembayaran QRIS yang masih menunggu."), code="not_pending")
    account = active_account(payment.unit)
    if account is None:
        raise PaymentError(
            _("%(unit)s belum tersambung ke penyedia QRIS. Pilih cara bayar lain.") % {"unit": payment.unit.short_name},
            code="no_acquirer",
        )
    now = clock.now()
    existing = (
        Charge.objects.filter(
            payment=payment, account=account, status=ChargeStatus.PENDING, amount=payment.amount, expires_at__gt=now
        )
        .order_by("-expires_at")
        .first()
    )
    if existing is not None:
        return existing
    expires_at = expires_at or now + datetime.timedelta(minutes=CHARGE_MINUTES)
    reference = _charge_reference(payment)
    try:
        made = adapter_for(account).create_charge(payment, payment.amount, expires_at, reference)
        shown = parse(made.payload)  # what the buyer's app will read: a valid QRIS for exactly this amount
        if shown.amount is not None and shown.amount != payment.amount:
            raise AcquirerError(f"QRIS amount {shown.amount} differs from {payment.amount}")
    except (AcquirerError, QrisError) as exc:
        logger.warning("charge for payment %s refused: %s", payment.pk, exc)
        raise PaymentError(
            _("Penyedia QRIS tidak bisa membuat kode sekarang. Coba lagi sebentar lagi atau pilih cara bayar lain."),
            code="acquirer_error",
        )
    try:
        with transaction.atomic():
            # Read the payment again under its lock: a charge for a payment paid meanwhile (a second
            # "Bayar (simulasi)" press, a reload racing the notification) is never made, on SQLite
            # (writers queue) as on PostgreSQL (the lock waits for the payer's commit).
            if Payment.objects.select_for_update().filter(pk=payment.pk, status=PaymentStatus.PENDING).first() is None:
                raise PaymentError(_("Tagihan QRIS hanya dibuat untuk pembayaran QRIS yang masih menunggu."), code="not_pending")
            return Charge.objects.create(
                payment=payment,
                account=account,
                provider=account.provider,
                reference=reference,
                provider_reference=made.provider_reference[:100],
                payload=made.payload,
                amount=payment.amount,
                expires_at=made.expires_at,
            )
    except IntegrityError:  # the provider gave a transaction id it had already given us
        logger.error("charge for payment %s: %s reused reference %s", payment.pk, account.provider, made.provider_reference)
        raise PaymentError(
            _("Penyedia QRIS tidak bisa membuat kode sekarang. Coba lagi sebentar lagi atau pilih cara bayar lain."),
            code="acquirer_error",
        )


# --- Notifications --------------------------------------------------------------------------


def _text(value, limit: int) -> str:
    return str(value)[:limit].replace("\x00", "\ufffd")


def _kept_headers(provider: str, headers: dict) -> dict:
    wanted = set(PROVIDERS[provider].kept_headers)
    kept = {}
    for key, value in headers.items():
        name = str(key).lower()
        if name.startswith("http_"):
            name = name[5:].replace("_", "-")
        if name in wanted:
            kept[_text(name, 60)] = _text(value, 500)
    return kept


def _finish(inbox: AcquirerNotification, outcome: str, http_status: int, reason: str = "", charge=None) -> Receipt:
    inbox.outcome = outcome
    inbox.http_status = http_status
    inbox.reason = _text(reason, 2000)
    if charge is not None:
        inbox.charge = charge
    inbox.save(update_fields=["outcome", "http_status", "reason", "charge", "dedup_key"])
    status, content_type, body = PROVIDERS[inbox.provider].acknowledge(http_status, reason if http_status != 200 else "")
    return Receipt(status, content_type, body, inbox)


def receive_notification(provider: str, headers: dict, body: bytes) -> Receipt:
    """Store, verify and apply one notification from ``provider`` (see the module docstring).

    Never raises for anything the sender controls: every refusal is an answer with a status.
    """
    if provider not in PROVIDERS:
        raise KeyError(provider)
    body = bytes(body or b"")
    inbox = AcquirerNotification.objects.create(
        provider=provider,
        received_at=clock.now(),
        headers=_kept_headers(provider, headers),
        body=_text(body[:MAX_BODY].decode("utf-8", "replace"), MAX_BODY),
    )
    if len(body) > MAX_BODY:
        return _finish(inbox, NotificationOutcome.REJECTED, 413, "body too large")
    adapter_class = PROVIDERS[provider]
    try:
        reference = adapter_class.reference_of(headers, body)
    except VerificationError as exc:
        return _finish(inbox, NotificationOutcome.REJECTED, exc.http_status, str(exc))
    charge = Charge.objects.filter(provider=provider, reference=reference).select_related("account").first()
    if charge is None:
        return _finish(inbox, NotificationOutcome.REJECTED, 404, "no charge with this reference")
    try:
        notice = adapter_for(charge.account).verify(headers, body, clock.now())
    except VerificationError as exc:
        return _finish(inbox, NotificationOutcome.REJECTED, exc.http_status, str(exc), charge=charge)
    except AcquirerError as exc:  # the account lacks its secret: we cannot verify, the provider should retry
        logger.error("cannot verify %s notification for charge %s: %s", provider, charge.pk, exc)
        return _finish(inbox, NotificationOutcome.REJECTED, 503, "account not configured", charge=charge)
    return _apply(inbox, charge.pk, notice)


def _apply(inbox: AcquirerNotification, charge_id: int, notice: Notice) -> Receipt:
    with transaction.atomic():
        charge = Charge.objects.select_for_update().get(pk=charge_id)
        if notice.dedup_key:
            inbox.dedup_key = _text(notice.dedup_key, 200)
            try:
                with transaction.atomic():
                    inbox.save(update_fields=["dedup_key"])
            except IntegrityError:
                inbox.dedup_key = None
                return _finish(inbox, NotificationOutcome.REJECTED, 409, "X-EXTERNAL-ID already used today", charge=charge)
        if notice.reference != charge.reference or (
            notice.provider_reference and charge.provider_reference and notice.provider_reference != charge.provider_reference
        ):
            return _finish(inbox, NotificationOutcome.REJECTED, 400, "notification is about another transaction", charge=charge)
        if notice.status == PAID:
            return _apply_paid(inbox, charge, notice)
        if notice.status in (EXPIRED, FAILED):
            if charge.status == ChargeStatus.PENDING:
                charge.status = notice.status
                charge.save(update_fields=["status", "updated_at"])
                return _finish(inbox, NotificationOutcome.APPLIED, 200, f"charge {notice.status}", charge=charge)
            return _finish(inbox, NotificationOutcome.REPLAY, 200, f"charge already {charge.status}", charge=charge)
        if notice.status == REFUNDED:
            reason = _("Penyedia melaporkan pengembalian dana untuk tagihan %(ref)s.") % {"ref": charge.reference}
            return _finish(inbox, NotificationOutcome.FLAGGED, 200, reason, charge=charge)
        return _finish(inbox, NotificationOutcome.APPLIED, 200, "still pending: nothing to do", charge=charge)


def _flag_reasons(charge: Charge, payment: Payment, notice: Notice, paid_at) -> list:
    from galeri.core.money import format_rupiah

    reasons = []
    if notice.amount != charge.amount or payment.amount != charge.amount:
        reasons.append(
            _("Jumlah dibayar %(paid)s berbeda dari tagihan %(due)s.")
            % {"paid": format_rupiah(notice.amount or 0), "due": format_rupiah(payment.amount)}
        )
    if paid_at > charge.expires_at:
        reasons.append(_("Dibayar setelah kode QRIS kedaluwarsa."))
    if payment.status != PaymentStatus.PENDING:
        reasons.append(_("Pembayaran sudah berstatus %(status)s.") % {"status": payment.get_status_display().lower()})
    return reasons


def _apply_paid(inbox, charge: Charge, notice: Notice) -> Receipt:
    if charge.status in (ChargeStatus.PAID, ChargeStatus.FLAGGED):
        return _finish(inbox, NotificationOutcome.REPLAY, 200, f"charge already {charge.status}", charge=charge)
    payment = Payment.objects.select_for_update().get(pk=charge.payment_id)
    now = clock.now()
    paid_at = notice.paid_at if notice.paid_at is not None and notice.paid_at.tzinfo is not None else now
    reasons = _flag_reasons(charge, payment, notice, paid_at)
    if not reasons:
        try:
            with transaction.atomic():
                confirm_by_acquirer(
                    payment, notice.amount, notice.provider_reference or charge.provider_reference, charge.provider
                )
        except PaymentError as exc:
            reasons.append(exc.text)
    charge.paid_amount = notice.amount
    charge.paid_at = paid_at
    if reasons:
        # TODO(orders): the order-side rule — revive the order if its stock is still there,
        # else open a refund task — belongs to the hook registered with hooks.on_flagged.
        reason = " ".join(str(r) for r in reasons)
        charge.status = ChargeStatus.FLAGGED
        charge.flag_reason = reason
        charge.save(update_fields=["status", "flag_reason", "paid_amount", "paid_at", "updated_at"])
        transaction.on_commit(lambda: hooks.flagged(payment, charge, reason))
        return _finish(inbox, NotificationOutcome.FLAGGED, 200, reason, charge=charge)
    charge.status = ChargeStatus.PAID
    charge.save(update_fields=["status", "paid_amount", "paid_at", "updated_at"])
    transaction.on_commit(lambda: hooks.confirmed(Payment.objects.get(pk=payment.pk)))
    return _finish(inbox, NotificationOutcome.APPLIED, 200, "", charge=charge)


# --- The simulated acquirer and the status poll -------------------------------------------------


def pay_simulated(charge: Charge, amount: int | None = None, status: str = "paid") -> Receipt:
    """The simulated acquirer sends its signed notification that ``charge`` was paid (or expired /
    failed) through the same path as the endpoint. Only for charges of a simulated account."""
    if charge.provider != Provider.SIMULATED:
        raise PaymentError(_("Hanya tagihan penyedia simulasi yang bisa dibayar dengan simulasi."), code="not_simulated")
    headers, body = adapter_for(charge.account).notification(
        charge, status, charge.amount if amount is None else amount, clock.now()
    )
    return receive_notification(Provider.SIMULATED, headers, body)


def poll_charges(older_than: datetime.timedelta = datetime.timedelta(minutes=5), limit: int = 200) -> dict:
    """Ask the provider about pending charges made more than ``older_than`` ago whose
    notification never came; apply what it says exactly like a notification (stored in the inbox
    with a ``poll`` header). Returns counts per outcome (plus ``error``)."""
    import json

    counts: dict = {}
    due = Charge.objects.filter(status=ChargeStatus.PENDING, created_at__lte=clock.now() - older_than).select_related("account")
    for charge in due.order_by("created_at")[:limit]:
        try:
            notice = adapter_for(charge.account).status(charge)
        except AcquirerError as exc:
            logger.warning("status poll for charge %s failed: %s", charge.pk, exc)
            counts["error"] = counts.get("error", 0) + 1
            continue
        if notice.status == PENDING and charge.expires_at <= clock.now():
            notice = Notice(charge.reference, charge.provider_reference, EXPIRED, None)
        if notice.status == PENDING:
            counts["pending"] = counts.get("pending", 0) + 1
            continue
        inbox = AcquirerNotification.objects.create(
            provider=charge.provider,
            received_at=clock.now(),
            headers={"poll": "status"},
            body=_text(json.dumps(notice.raw, default=str), MAX_BODY),
        )
        outcome = _apply(
            inbox,
            charge.pk,
            Notice(charge.reference, notice.provider_reference, notice.status, notice.amount, notice.paid_at, "", notice.raw),
        ).outcome
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
