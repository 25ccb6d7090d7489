"""The channels behind one small interface: ``send(message) -> provider id``.

A channel raises ``ChannelError`` (``permanent`` True: retrying cannot help, e.g. a number that is
not on WhatsApp) for what it understood, and any other exception (a refused SMTP connection, a
timeout) is taken as temporary by the sender. ``enabled`` False: the channel is not configured;
its messages wait for staff to send them by hand (status *manual*).

WhatsApp has three providers (``WHATSAPP_PROVIDER``, ``whatsapp_provider()``): the Cloud API
(``whatsapp.py``), a simulated one for the demo (``simulated.py``) and off (manual).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from galeri.core.environment import is_production
from galeri.notifications.errors import ChannelError
from galeri.notifications.models import Channel
from galeri.notifications.simulated import SimulatedWhatsAppChannel
from galeri.notifications.whatsapp import WhatsAppChannel

__all__ = ["ChannelError", "EmailChannel", "SimulatedWhatsAppChannel", "WhatsAppChannel", "for_channel", "whatsapp_provider"]

log = logging.getLogger(__name__)

CLOUD, SIMULATED, OFF = "cloud", "simulated", "off"
PROVIDERS = (CLOUD, SIMULATED, OFF)


class EmailChannel:
    """Django's email backend (SMTP in production, the console or a file in the demo)."""

    name = Channel.EMAIL

    @property
    def enabled(self) -> bool:
        return True

    def send(self, message) -> str:
        headers = {}
        if message.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mail = EmailMessage(
            message.subject,  # one line (services.render); Django refuses a newline in a header anyway
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            message.recipients,
            headers=headers,
            connection=get_connection(fail_silently=False),
        )
        mail.send(fail_silently=False)
        return ""


class _Off:
    """WhatsApp switched off: rows become *manual* for staff to send with the wa.me link."""

    name = Channel.WHATSAPP
    enabled = False


def whatsapp_provider() -> str:
    """``WHATSAPP_PROVIDER`` when set; else the Cloud API when configured, else the simulated
    provider outside production and off in production (a real buyer is never told "sent" for a
    message that went nowhere)."""
    chosen = getattr(settings, "WHATSAPP_PROVIDER", "") or ""
    if chosen in PROVIDERS:
        return chosen
    if chosen:
        log.warning("WHATSAPP_PROVIDER=%r is not one of %s: WhatsApp is off", chosen, ", ".join(PROVIDERS))
        return OFF
    if getattr(settings, "WHATSAPP_ACCESS_TOKEN", "") and getattr(settings, "WHATSAPP_PHONE_NUMBER_ID", ""):
        return CLOUD
    return OFF if is_production() else SIMULATED


def for_channel(name: str):
    if name == Channel.EMAIL:
        return EmailChannel()
    if name == Channel.WHATSAPP:
        provider = whatsapp_provider()
        if provider == SIMULATED:
            return SimulatedWhatsAppChannel()
        if provider == CLOUD:
            return WhatsAppChannel.from_settings()  # off (manual) while its token or number id is missing
        return _Off()
    raise ChannelError(f"unknown channel {name!r}", permanent=True)
