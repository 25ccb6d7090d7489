"""The channels behind one small interface: ``send(message) -> provider id``.

A channel raises ``ChannelError`` (``permanent`` True: retrying cannot help, e.g. a number that is
not on WhatsApp) for what it understood, and any other exception (a refused SMTP connection, a
timeout) is taken as temporary by the sender. ``enabled`` False: the channel is not configured;
its messages wait for staff to send them by hand (status *manual*).
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from galeri.notifications.errors import ChannelError
from galeri.notifications.models import Channel
from galeri.notifications.whatsapp import WhatsAppChannel

__all__ = ["ChannelError", "EmailChannel", "WhatsAppChannel", "for_channel"]


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


def for_channel(name: str):
    if name == Channel.EMAIL:
        return EmailChannel()
    if name == Channel.WHATSAPP:
        return WhatsAppChannel.from_settings()
    raise ChannelError(f"unknown channel {name!r}", permanent=True)
