"""A simulated WhatsApp for the demo and local runs (``WHATSAPP_PROVIDER=simulated``, the default
outside production when the Cloud API is not configured).

Nothing leaves the machine: the message is taken as delivered at once, the outbox row becomes
*sent* with a provider id ``simulasi-<hex>`` (the Cloud API's would be a ``wamid``), and one log
line (standard output, like Django's console email backend) tells who would have received what.
Staff read the text on the console's outbox page and on the order's page, where the wa.me link
to send it by hand stays. Production never falls back to this (``core.environment``).
"""

import logging
import secrets

from galeri.notifications.models import Channel

log = logging.getLogger("galeri.notifications.simulated")

PREFIX = "simulasi-"


class SimulatedWhatsAppChannel:
    name = Channel.WHATSAPP
    enabled = True
    simulated = True

    def __repr__(self):
        return "<SimulatedWhatsAppChannel>"

    def send(self, message) -> str:
        provider_id = PREFIX + secrets.token_hex(8)
        log.info(
            "WhatsApp (simulasi) %s ke %s: %s [%s]",
            message.kind,
            message.recipient,
            message.subject,
            provider_id,
        )
        return provider_id
