"""Reads of the outbox: a unit's messages (console) and an object's (its console page)."""

from galeri.core.phone import whatsapp_link
from galeri.notifications.models import Channel, Message, Status
from galeri.units.scoping import scope

ACTION = "notifications.view"


def outbox_of(user, *, unit_id=None, status=""):
    messages = scope(Message.objects.select_related("unit"), user, ACTION)
    if unit_id:
        messages = messages.filter(unit_id=unit_id)
    if status in Status.values:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")


def for_object(related_type: str, related_id, phone: str = "") -> list:
    """The messages about one object, newest first, each with a wa.me link to send its text by hand."""
    messages = list(
        Message.objects.filter(related_type=related_type, related_id=related_id, audience="buyer").order_by("-created_at", "-id")
    )
    for message in messages:
        # One link per event: on its WhatsApp row (every buyer with a number has one).
        own = message.channel == Channel.WHATSAPP
        message.wa_link = whatsapp_link(phone, f"{message.subject}\n\n{message.body}") if phone and own else ""
    return messages
