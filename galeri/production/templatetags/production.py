from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galeri.units.scoping import can

register = template.Library()

TABS = [
    (_("Ringkasan"), "production:home", "production.view"),
    (_("Bengkel"), "production:workshops", "production.view"),
    (_("Peserta"), "production:participants", "production.view"),
    (_("Pelatihan"), "production:training", "production.view"),
    (_("Batch produksi"), "production:batches", "production.view"),
    (_("Aturan pembagian"), "production:rules", "production.view"),
    (_("PNBP"), "production:pnbp", "production.view"),
]


@register.inclusion_tag("production/_tabs.html", takes_context=True)
def production_tabs(context):
    request = context["request"]
    tabs = []
    for label, name, action in TABS:
        if can(request.user, action, None):
            url = reverse(name)
            tabs.append(
                {
                    "label": label,
                    "url": url,
                    "current": request.path == url or (name != "production:home" and request.path.startswith(url)),
                }
            )
    return {"tabs": tabs}


@register.filter
def hours(value):
    """7.50 -> 7,5 (Indonesian decimal comma)."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return value
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


@register.filter
def figure(value, suppressed):
    """A public figure, or "< 5" when it rests on too few participants."""
    if suppressed:
        return "< 5"
    return f"{int(value):,}".replace(",", ".")
