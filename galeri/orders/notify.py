"""Emails about orders, sent after the transaction commits (``transaction.on_commit``).

To the buyer when an email address was given; to the unit (its own address and its staff who
handle orders) when an order is placed. Django's mail backend decides how (the console by
default). A mail that cannot be sent is logged and never undoes the order.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from galeri.core import timeline
from galeri.core.text import single_line
from galeri.orders import links
from galeri.units.models import Role, RoleAssignment

log = logging.getLogger(__name__)

STAFF_ROLES = (Role.UNIT_ADMIN, Role.OFFICER, Role.CASHIER)


def staff_addresses(unit):
    """The unit's own address and its staff's (roles held on the unit itself), without duplicates."""
    found = []
    if unit.email:
        found.append(unit.email)
    users = User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(unit=unit, role__in=STAFF_ROLES).values("user_id"),
    ).exclude(email="")
    for email in users.values_list("email", flat=True).order_by("email"):
        if email.lower() not in {e.lower() for e in found}:
            found.append(email)
    return found


def _send(subject, template, context, recipients):
    if not recipients:
        return
    # Built from what a buyer typed: one line whatever is stored (a newline would be a new header).
    subject = single_line(subject)
    try:
        with translation.override("id"):
            body = render_to_string(template, context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # a mail server hiccup never undoes an order
        log.exception("order mail %r to %d recipients failed", subject, len(recipients))


def order_placed(order):
    """The buyer's and the unit staff's mail of a new order (``order`` as the checkout just
    committed it: no reload; its lines are read only when there is someone to write to)."""
    staff = staff_addresses(order.unit)
    if not order.buyer_email and not staff:
        return
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "track_url": settings.SITE_URL + links.tracking_url(order),
        "console_url": settings.SITE_URL + links.console_url(order),
    }
    if order.buyer_email:
        _send(f"Pesanan {order.code} diterima · Galeri Karya", "orders/email/placed_buyer.txt", context, [order.buyer_email])
    _send(f"Pesanan baru {order.code} · {order.buyer_name}", "orders/email/placed_staff.txt", context, staff)


def status_changed(order):
    order.refresh_from_db()
    if not order.buyer_email or order.anonymised_at:
        return
    event = timeline.latest(order)
    context = {"order": order, "event": event, "track_url": settings.SITE_URL + links.tracking_url(order)}
    _send(
        f"Pesanan {order.code}: {order.get_status_display()} · Galeri Karya",
        "orders/email/status_buyer.txt",
        context,
        [order.buyer_email],
    )
