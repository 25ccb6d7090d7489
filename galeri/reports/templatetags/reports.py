"""Template filters of the reports: change against the previous period, numbers the Indonesian way."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def change(current, previous):
    """'+12,5%' against the previous period, '—' when there was nothing before."""
    try:
        current, previous = float(current or 0), float(previous or 0)
    except (TypeError, ValueError):
        return "—"
    if not previous:
        return _("baru") if current else "—"
    return f"{(current - previous) * 100 / abs(previous):+.1f}%".replace(".", ",")


@register.filter
def number(value):
    """12345 -> '12.345'; 12.5 -> '12,5'."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    value = float(value)
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
