"""Send what is due: claim rows, hand each to its channel, record the outcome.

A row is claimed by one conditional UPDATE (``queued`` and due → ``sending`` with a lease); on
PostgreSQL the candidates are read ``FOR UPDATE SKIP LOCKED`` first, so two workers take
different rows without waiting. Only the worker whose UPDATE changed the row sends it: a message
goes once. A worker that dies mid-send leaves the row ``sending``; when its lease
(``NOTIFICATIONS_LEASE_SECONDS``) is over another worker takes it again (at least once, never
lost).

A temporary failure puts the row back to ``queued`` for ``services.backoff(attempts)`` later;
after ``NOTIFICATIONS_MAX_ATTEMPTS`` attempts, or a permanent error, it is ``failed``.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from galeri.core import clock
from galeri.core.text import single_line
from galeri.notifications.channels import ChannelError, for_channel
from galeri.notifications.models import Message, Status

log = logging.getLogger(__name__)

_producers = []


def register_producer(fn):
    """``fn(now)`` queues messages that come from the clock, not from a step (a booking's
    reminder, a low-stock digest); ``send_notifications`` runs every producer before sending.
    Registered by the upper apps in their ``AppConfig.ready``."""
    if fn not in _producers:
        _producers.append(fn)


def run_producers(now=None) -> int:
    count = 0
    for fn in list(_producers):
        try:
            count += fn(now or clock.now()) or 0
        except Exception:
            log.exception("notification producer %s failed", getattr(fn, "__qualname__", fn))
    return count


def backoff(attempts: int) -> datetime.timedelta:
    """The wait before attempt ``attempts + 1``: base × 2^(attempts-1) seconds, capped."""
    base = int(getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "NOTIFICATIONS_RETRY_CAP_SECONDS", 6 * 3600))
    return datetime.timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 8))


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 600)))


def _due(now):
    return Message.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(status=Status.SENDING, claimed_until__lt=now)
    )


def claim(now, *, ids=None, limit=100) -> list:
    """Take up to ``limit`` due rows (of ``ids`` when given) for this worker; their pks."""
    candidates = _due(now)
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    until = now + _lease()
    claimed = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            pks = list(
                candidates.order_by("next_attempt_at", "id")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:limit]
            )
        else:
            pks = list(candidates.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        for pk in pks:
            # The claim itself: only one worker's UPDATE finds the row still due.
            if _due(now).filter(pk=pk).update(status=Status.SENDING, claimed_until=until):
                claimed.append(pk)
    return claimed


def _safe_error(error) -> str:
    text = single_line(str(error)) or type(error).__name__
    if not isinstance(error, ChannelError):
        text = f"{type(error).__name__}: {text}"
    for secret in (getattr(settings, "WHATSAPP_ACCESS_TOKEN", ""), getattr(settings, "EMAIL_HOST_PASSWORD", "")):
        if secret:
            text = text.replace(secret, "***")
    return text[:500]


def deliver(pk, now=None) -> str:
    """Send one claimed row; returns its new status."""
    message = Message.objects.get(pk=pk)
    mine = Message.objects.filter(pk=pk, status=Status.SENDING)
    try:
        channel = for_channel(message.channel)
        if not channel.enabled:
            mine.update(status=Status.MANUAL, claimed_until=None, last_error="")
            return Status.MANUAL
        provider_id = channel.send(message)
    except Exception as error:
        permanent = isinstance(error, ChannelError) and error.permanent
        attempts = message.attempts + 1
        at = clock.now()
        if permanent or attempts >= max_attempts():
            mine.update(status=Status.FAILED, attempts=attempts, claimed_until=None, last_error=_safe_error(error))
            log.warning("notification %s (%s) failed for good after %d attempts", pk, message.kind, attempts)
            return Status.FAILED
        mine.update(
            status=Status.QUEUED,
            attempts=attempts,
            claimed_until=None,
            next_attempt_at=at + backoff(attempts),
            last_error=_safe_error(error),
        )
        log.info("notification %s (%s) attempt %d failed; retry later", pk, message.kind, attempts)
        return Status.QUEUED
    mine.update(
        status=Status.SENT,
        attempts=message.attempts + 1,
        claimed_until=None,
        sent_at=clock.now(),
        last_error="",
        provider_id=(provider_id or "")[:200],
    )
    return Status.SENT


def send_due(now=None, limit=100) -> dict:
    """Send every row due now (in batches of ``limit``); a count per outcome."""
    counts = {}
    while True:
        pks = claim(now or clock.now(), limit=limit)
        for pk in pks:
            outcome = deliver(pk)
            counts[outcome] = counts.get(outcome, 0) + 1
        if len(pks) < limit:
            return counts


# channel -> time.monotonic() until which ``send_now`` leaves that channel to the worker.
_down_until = {}
DOWN_SECONDS = 60


def send_now(ids) -> None:
    """Right after the commit of the event: try once, in this process. Never raises (the
    business step is done; a row that did not go waits for ``send_notifications``). After a
    temporary failure of a channel this process leaves that channel's new rows to the worker for
    ``DOWN_SECONDS``, so requests do not each wait for a mail server that is down."""
    try:
        channels = dict(Message.objects.filter(pk__in=list(ids)).values_list("pk", "channel"))
        for pk in ids:
            channel = channels.get(pk)
            if _down_until.get(channel, 0) > time.monotonic():
                continue
            for claimed in claim(clock.now(), ids=[pk], limit=1):
                if deliver(claimed) == Status.QUEUED:
                    _down_until[channel] = time.monotonic() + DOWN_SECONDS
    except Exception:
        log.exception("sending notifications %s after commit failed; they stay queued", list(ids))
