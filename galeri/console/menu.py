"""The console menu: each entry shows only to users whose roles allow its action."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from galeri.units.scoping import can

# (label, url name, action). Apps add their entries here as they arrive.
MENU = [
    (_("Produk"), "catalog_console:product_list", "catalog.edit"),
    (_("Persetujuan"), "catalog_console:approvals", "catalog.approve"),
    (_("Pesanan"), "orders_console:list", "orders.view"),
    (_("Reservasi mencurigakan"), "console:reservations", "reservations.review"),
    (_("Stok"), "inventory:levels", "inventory.view"),
    (_("Stok opname"), "inventory:stocktake_list", "inventory.stocktake"),
    (_("Kasir"), "pos:home", "pos.sell"),
    (_("Atur kasir"), "pos:tills", "pos.tills"),
    (_("Laporan kasir"), "pos:report", "pos.report"),
    (_("Jasa"), "bookings_console:calendar", "bookings.view"),
    (_("Pesanan khusus"), "custom_orders_console:list", "custom_orders.view"),
    (_("Produksi"), "production:home", "production.view"),
    (_("Pameran"), "events_console:list", "events.view"),
    (_("Label"), "labels:home", "labels.print"),
    (_("Laporan"), "reports:dashboard", "reports.view"),
    (_("Petugas"), "units:staff_list", "units.manage_staff"),
    (_("Unit"), "units:unit_list", "units.manage_units"),
    (_("Audit"), "console:audit", "audit.view"),
    (_("Akses data pribadi"), "console:personal_access", "audit.personal_data"),
    (_("Token API"), "api_console:tokens", "api.tokens"),
    (_("Pembayaran"), "payments_console:flagged", "payments.confirm"),  # its pages link each other (tabs)
    (_("Pengiriman"), "shipping_console:home", "shipping.settings"),
    (_("Notifikasi"), "notifications_console:list", "notifications.view"),
    (_("Berita"), "news_console:list", "news.edit"),
]


def menu_for(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for label, url_name, action in MENU:
        if not can(user, action, None):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # the app behind the entry is not installed yet
            continue
        items.append({"label": label, "url": url, "active": False})
    # Only the longest matching entry is current: /petugas/stok/opname/ is "Stok opname", not also "Stok".
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items
