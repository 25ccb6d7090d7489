"""Every message the gallery sends, one row each: who it is for, whether the buyer may stop it,
and the parameters of its approved WhatsApp template.

The text of a message is one template per language, ``notifications/messages/<lang>/<kind>.txt``:
the first line is the subject, then a blank line, then the body (plain text). The WhatsApp
Business template of a kind is named ``WHATSAPP_TEMPLATE_PREFIX + kind`` (``galeri_order_paid``)
and approved in Meta's WhatsApp Manager with the same text; its body parameters ``{{1}}..{{n}}``
are the context values named in ``wa_params``, in order.

``topic`` set: the message is not needed for the order to proceed, so it carries a signed
unsubscribe link and is not queued to an address that opted out of that topic.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    audience: str = "buyer"  # buyer / staff
    topic: str = ""  # "" = needed for the order to proceed (no unsubscribe)
    wa_params: tuple = ("name", "code", "url")


REMINDERS = "reminders"
STOCK = "stock"
TOPICS = {REMINDERS, STOCK}

_ALL = [
    # Online orders: the buyer.
    Kind("order_received"),
    Kind("order_confirmed", wa_params=("name", "code", "total", "url")),
    Kind("order_paid"),
    Kind("order_part_paid", wa_params=("name", "code", "due", "url")),
    Kind("order_processing"),
    Kind("order_ready"),
    Kind("order_shipped", wa_params=("name", "code", "resi", "url")),
    Kind("order_delivered"),
    Kind("order_completed"),
    Kind("order_cancelled"),
    Kind("order_expired"),
    Kind("order_link"),  # the buyer asked for their link again (core.tracking.resend)
    # Bookings: the buyer.
    Kind("booking_received", wa_params=("name", "code", "when", "url")),
    Kind("booking_confirmed", wa_params=("name", "code", "when", "url")),
    Kind("booking_reminder", topic=REMINDERS, wa_params=("name", "code", "when", "url")),
    Kind("booking_link"),
    # Custom orders: the buyer.
    Kind("custom_quote", wa_params=("name", "code", "total", "url")),
    Kind("custom_dp_received", wa_params=("name", "code", "amount", "url")),
    Kind("custom_production"),
    Kind("custom_ready"),
    Kind("custom_link"),
    # Staff of the unit.
    Kind("staff_new_order", audience="staff", wa_params=("code", "name", "url")),
    Kind("staff_new_booking", audience="staff", wa_params=("code", "name", "when", "url")),
    Kind("staff_payment", audience="staff", wa_params=("code", "amount", "url")),
    Kind("staff_low_stock", audience="staff", topic=STOCK, wa_params=("unit", "count", "url")),
]

KINDS = {kind.name: kind for kind in _ALL}


def get(name: str) -> Kind:
    return KINDS[name]
