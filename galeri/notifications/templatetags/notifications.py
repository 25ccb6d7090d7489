"""``{% outbox_for "order" order.pk order.buyer_phone %}``: the messages about an object on its
console page, each with a wa.me link to send the same text by hand."""

from django import template

from galeri.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_for_object.html")
def outbox_for(related_type, related_id, phone=""):
    return {"outbox": selectors.for_object(related_type, related_id, phone)}
