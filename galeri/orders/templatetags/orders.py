from django import template
from django.utils.html import format_html

from galeri.core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah_code(amount, code):
    """'Rp 300.027' with the last three digits (where the transfer's unique code lives) marked."""
    text = format_rupiah(amount)
    if not code or len(text) < 4:
        return text
    return format_html('{}<mark class="code-digits">{}</mark>', text[:-3], text[-3:])
