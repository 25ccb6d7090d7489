"""Queue a message: ``queue(kind, ...)`` inside the transaction of the event it tells.

The caller (orders, bookings, custom orders, inventory) gives the kind, an idempotency key for
the event, the unit, the object it is about and a context for the template; this module renders
the text once per recipient row, writes the rows and asks for a send right after the commit
(``sending.send_now``). A rolled-back event leaves no row and sends nothing; the same key twice
is one message. A bad WhatsApp number makes a row ``failed`` with a clear error, never a crash.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import TemplateDoesNotExist, get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from galeri.core import clock, links
from galeri.core.phone import normalize_phone
from galeri.core.text import multi_line, single_line
from galeri.notifications import kinds, sending
from galeri.notifications.models import Channel, Message, OptOut, Status

log = logging.getLogger(__name__)

LANGUAGES = ("id", "en")
MULTILINE = {"note", "reason"}  # context values that may hold line breaks (never used in a subject)
UNSUBSCRIBE = links.Purpose(salt="galeri.notifications.unsubscribe")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(kind: str, language: str, context: dict) -> Rendered:
    """The subject (one line, at most 200 characters) and body of ``kind`` in ``language``."""
    language = language if language in LANGUAGES else "id"
    try:
        template = get_template(f"notifications/messages/{language}/{kind}.txt")
    except TemplateDoesNotExist:
        language = "id"
        template = get_template(f"notifications/messages/id/{kind}.txt")
    # Every text value is one line (names, codes, amounts: what subjects are made of), so a newline a
    # buyer typed can never move the subject's end; only the values meant as paragraphs keep theirs.
    context = {k: v if k in MULTILINE or not isinstance(v, str) else single_line(v) for k, v in context.items()}
    with translation.override(language):
        text = template.render({**context, "site_url": settings.SITE_URL, "language": language})
    head, _sep, body = text.lstrip().partition("\n")
    # Built from what a buyer typed: one line whatever is stored (a newline would be a new header).
    return Rendered(single_line(head)[:200], multi_line(body))


def unsubscribe_url(address: str, topic: str) -> str:
    token = links.dumps(UNSUBSCRIBE, [topic, address])
    return settings.SITE_URL + reverse("notifications:unsubscribe", kwargs={"token": token})


def read_unsubscribe(token: str) -> tuple:
    """(topic, address) of an unsubscribe token; ``links.BadLink`` otherwise."""
    value = links.loads(UNSUBSCRIBE, token)
    if not (isinstance(value, list) and len(value) == 2 and value[0] in kinds.TOPICS and isinstance(value[1], str)):
        raise links.BadLink
    return value[0], value[1]


def opt_out(address: str, topic: str, now=None) -> None:
    OptOut.objects.get_or_create(address=address.lower(), topic=topic, defaults={"created_at": now or clock.now()})


def opted_out(address: str, topic: str) -> bool:
    return bool(topic) and OptOut.objects.filter(address=address.lower(), topic=topic).exists()


def language_of(related_type: str, related_id) -> str:
    """The language the buyer used for this object: that of its first message to them ("id" without one)."""
    if not related_type or related_id is None:
        return "id"
    first = (
        Message.objects.filter(related_type=related_type, related_id=related_id, audience="buyer")
        .order_by("created_at", "id")
        .values_list("language", flat=True)
        .first()
    )
    return first or "id"


def current_language() -> str:
    """The language of the request being served (``/en/...`` → "en"), for the first message of an object."""
    language = (translation.get_language() or "id")[:2]
    return language if language in LANGUAGES else "id"


def queue(
    kind: str,
    *,
    key: str,
    unit=None,
    related: tuple = ("", None),
    context: dict,
    emails=(),
    phone: str = "",
    language: str | None = None,
    now=None,
) -> list:
    """Write the rows of one message (an email row, a WhatsApp row) and send them after the commit.

    ``key`` names the event (``order:12:paid``): the same key again adds nothing. ``emails`` go in
    one row (the staff of a unit read one mail together) unless the kind has a topic (one row per
    address, each with its own unsubscribe link). Returns the new rows."""
    spec = kinds.get(kind)
    now = now or clock.now()
    related_type, related_id = related
    if language is None:
        language = language_of(related_type, related_id) if spec.audience == "buyer" else "id"
    language = language if language in LANGUAGES else "id"
    emails = _unique([single_line(e) for e in emails if e and single_line(e)])
    rows = []
    for group in [[e] for e in emails] if spec.topic else _fitting(emails):
        rows.append((Channel.EMAIL, ", ".join(group), ""))
    if phone:
        try:
            rows.append((Channel.WHATSAPP, normalize_phone(phone), ""))
        except ValidationError:  # a number we cannot reach is a visible failure, not a crash
            rows.append((Channel.WHATSAPP, single_line(phone)[:40], _("Nomor WhatsApp tidak valid: %(raw)s") % {"raw": phone}))
    made = []
    for channel, recipient, error in rows:
        if spec.topic and opted_out(recipient, spec.topic):
            continue
        unsubscribe = unsubscribe_url(recipient, spec.topic) if spec.topic else ""
        text = render(kind, language, {**context, "unsubscribe_url": unsubscribe})
        params = [single_line(context.get(name, ""))[:300] or "-" for name in spec.wa_params]
        row_key = f"{key}:{channel}" if not spec.topic else f"{key}:{channel}:{recipient.lower()}"
        if channel == Channel.EMAIL and not spec.topic and _index_of(rows, recipient):
            row_key += f":{_index_of(rows, recipient)}"  # a long staff list split in several mails
        message = Message(
            unit=unit,
            channel=channel,
            recipient=recipient,
            language=language,
            kind=kind,
            audience=spec.audience,
            subject=text.subject,
            body=text.body,
            unsubscribe_url=unsubscribe,
            template_name=getattr(settings, "WHATSAPP_TEMPLATE_PREFIX", "galeri_") + kind,
            template_params=params,
            idempotency_key=row_key[:200],
            status=Status.FAILED if error else Status.QUEUED,
            last_error=error[:500],
            next_attempt_at=None if error else now,
            created_at=now,
            related_type=related_type,
            related_id=related_id,
        )
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:  # the same event again: already queued
            continue
        made.append(message)
    ids = [m.pk for m in made if m.status == Status.QUEUED]
    if ids:
        transaction.on_commit(lambda: sending.send_now(ids))
    return made


def _fitting(addresses, limit=1000):
    """The addresses in groups whose ", "-joined text fits the recipient column."""
    groups, current = [], []
    for address in addresses:
        if current and len(", ".join([*current, address])) > limit:
            groups.append(current)
            current = []
        current.append(address[:limit])
    return [*groups, current] if current else groups


def _index_of(rows, recipient) -> int:
    """The position of ``recipient`` among the email rows (0 for the first)."""
    emails = [r for c, r, _e in rows if c == Channel.EMAIL]
    return emails.index(recipient) if recipient in emails else 0


def _unique(addresses):
    seen, found = set(), []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            found.append(address)
    return found


def resend(message: Message, user=None, now=None) -> Message:
    """Staff put a failed (or manual) message back in the queue; it goes after the commit."""
    now = now or clock.now()
    resendable = Message.objects.filter(pk=message.pk, status__in=(Status.FAILED, Status.MANUAL, Status.CANCELLED))
    updated = resendable.exclude(recipient=FORGOTTEN).update(  # an erased message has no one to go to
        status=Status.QUEUED, attempts=0, next_attempt_at=now, last_error="", claimed_until=None
    )
    if updated:
        transaction.on_commit(lambda: sending.send_now([message.pk]))
    message.refresh_from_db()
    return message


FORGOTTEN = "(dihapus)"


def forget(related_type: str, related_ids) -> int:
    """Erase the personal data of the messages about these objects (an order anonymised after its
    retention): recipient, text and template parameters go; kind, status and dates stay. Messages
    not sent yet are cancelled."""
    messages = Message.objects.filter(related_type=related_type, related_id__in=list(related_ids))
    messages.exclude(status=Status.SENT).update(status=Status.CANCELLED, next_attempt_at=None)
    return messages.update(recipient=FORGOTTEN, subject=FORGOTTEN, body="", template_params=[], unsubscribe_url="", last_error="")
