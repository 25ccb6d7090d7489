from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galeri.units.scoping import can

register = template.Library()

# (label, url name, action): the stock pages, each shown only to who may use it.
TABS = [
    (_("Tingkat stok"), "inventory:levels", "inventory.view"),
    (_("Mutasi"), "inventory:movements", "inventory.view"),
    (_("Peringatan"), "inventory:alerts", "inventory.view"),
    (_("Terima barang"), "inventory:receive", "inventory.move"),
    (_("Penyesuaian"), "inventory:adjust", "inventory.adjust"),
    (_("Pindah lokasi"), "inventory:transfer", "inventory.move"),
    (_("Stok opname"), "inventory:stocktake_list", "inventory.stocktake"),
    (_("Lokasi"), "inventory:locations", "inventory.view"),
]


@register.inclusion_tag("inventory/_tabs.html", takes_context=True)
def stock_tabs(context):
    request = context["request"]
    tabs = []
    for label, name, action in TABS:
        if can(request.user, action, None):
            url = reverse(name)
            current = request.path == url or (name == "inventory:stocktake_list" and request.path.startswith(url))
            tabs.append({"label": label, "url": url, "current": current})
    return {"tabs": tabs}


@register.filter
def signed(value):
    """+3 / -2 / 0 for ledger quantities."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return value
    return f"{value:+d}" if value else "0"


@register.filter
def staff_name(user):
    """The name staff see for a colleague: full name, else username; "—" when none."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
