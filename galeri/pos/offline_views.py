"""The offline counter's pages and JSON (thin: parse, call ``offline`` or ``offline_selectors``).

``luring/`` is the page the service worker keeps (``luring/sw.js``, scope ``luring/``); the page's
script (``pos/offline.js``) downloads ``luring/perangkat/<id>/data/`` into IndexedDB and posts its
queue to ``luring/kirim/`` (GET there gives a fresh CSRF token). Every route is a console view:
signed in, second factor confirmed, ``pos.sell`` (the reconciliation list ``pos.report``), scoped
to the user's units through ``units.scoping``.
"""

import hashlib
import json
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from galeri.inventory.models import StockLocation
from galeri.units.scoping import can, console_view, get_scoped_or_404

from . import offline, offline_selectors
from .errors import PosError
from .models import OfflineDevice, Till

# Files the service worker keeps for the offline page (the page itself is added by the worker).
SHELL_ASSETS = (
    "galeri/css/site.css",
    "galeri/css/console.css",
    "galeri/css/pos.css",
    "pos/offline.css",
    "galeri/favicon.svg",
    "galeri/js/htmx.min.js",
    "galeri/js/site.js",
    "galeri/js/console.js",
    "pos/offline.js",
)


@console_view("pos.sell")
def prepare(request, pk):
    """Prepare ``till`` for offline use on this browser (a new device, or ``device`` refreshed)."""
    till = get_scoped_or_404(
        Till.objects.select_related("unit", "location").filter(is_active=True), request.user, "pos.sell", pk=pk
    )
    if request.method != "POST":
        return render(request, "pos/offline_prepare.html", {"till": till, "devices": till.offline_devices.order_by("prefix")})
    device = None
    device_id = request.POST.get("device") or ""
    if device_id:
        device = offline_selectors.devices_for(request.user).filter(till=till, pk=device_id if device_id.isdigit() else 0).first()
        if device is None:
            messages.error(request, _("Perangkat luring tidak dikenal."))
            return redirect("pos:offline_prepare", pk=till.pk)
    try:
        device = offline.prepare_device(till, user=request.user, label=request.POST.get("label", ""), device=device)
    except PosError as exc:
        messages.error(request, exc.messages[0])
        return redirect("pos:offline_prepare", pk=till.pk)
    return redirect(f"{reverse('pos:offline')}?perangkat={device.pk}")


@console_view("pos.sell")
def page(request):
    """The offline counter (works from the service worker's cache without the network)."""
    return render(request, "pos/offline.html", {"manifest": reverse("pos:offline_manifest"), "texts": _texts()})


def _texts():
    """What ``pos/offline.js`` says (translated here, read from a JSON script tag)."""
    return {
        "prepare_failed": _("Data perangkat tidak bisa diunduh: masuk lagi lalu siapkan ulang."),
        "persist_yes": _("Penyimpanan tetap: peramban tidak akan menghapus data kasir ini sendiri."),
        "persist_no": _(
            "Penyimpanan belum tetap: peramban boleh menghapus data ini bila ruang penuh. Pasang aplikasi ini atau izinkan penyimpanan."
        ),
        "persist_unsupported": _("Peramban ini tidak bisa meminta penyimpanan tetap."),
        "quantity_of": _("Jumlah %(name)s"),
        "remove": _("Hapus"),
        "beyond_stock": _("Stok %(name)s di perangkat habis: penjualan tetap dicatat dan ditandai untuk dicocokkan."),
        "not_found": _("Tidak ada produk “%(text)s”."),
        "empty": _("Belum ada barang."),
        "short": _("Uang diterima kurang dari total."),
        "no_qris": _("Unit ini belum memasang QRIS statis."),
        "paid_cash": _("Tunai %(tendered)s, kembali %(change)s"),
        "paid_qris": _("QRIS"),
        "receipt_offline": _("dicatat luring"),
        "online": _("Terhubung"),
        "offline": _("Luring (tanpa jaringan)"),
        "sign_in_again": _("Sesi masuk habis: masuk lagi untuk mengirim."),
        "send_failed": _("Gagal mengirim."),
        "sender": _("Tab ini yang mengirim penjualan."),
        "sent": _("%(n)s penjualan terkirim."),
        "retry": _("%(reason)s Dicoba lagi dalam %(seconds)s detik."),
        "refresh_offline": _("Perbarui data saat terhubung ke jaringan."),
        "refresh_failed": _("Data tidak bisa diperbarui: buka kasir ini atas nama Anda dulu."),
        "refreshed": _("Data produk, harga, stok dan sesi kasir sudah diperbarui."),
        "device": _("Perangkat %(prefix)s · %(till)s · lokasi %(location)s"),
    }


@console_view("pos.sell")
@never_cache
def data(request, pk):
    device = get_scoped_or_404(OfflineDevice.objects.select_related("unit", "till__location"), request.user, "pos.sell", pk=pk)
    return JsonResponse(offline_selectors.device_data(device))


@console_view("pos.sell")
@never_cache
def sync(request):
    """GET: a CSRF token for the next post. POST ``{"sales": [...]}``: one result per sale."""
    if request.method == "GET":
        return JsonResponse({"csrf_token": get_token(request)})
    if request.method != "POST":
        return JsonResponse({"error": _("Metode tidak didukung.")}, status=405)
    if request.content_type != "application/json":
        return JsonResponse({"error": _("Kirim sebagai application/json.")}, status=415)
    try:
        batch = offline.parse_batch(json.loads(request.body or b"null"))
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("Isi kiriman bukan JSON yang sah.")}, status=400)
    except PosError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    devices = offline_selectors.devices_for(request.user)
    results = [offline.sync_sale(sale, user=request.user, devices=devices).as_json() for sale in batch]
    return JsonResponse({"results": results})


SW_SOURCE = Path(__file__).resolve().parent / "static" / "pos" / "offline-sw.js"


@console_view("pos.sell")
def service_worker(request):
    """The service worker, at a URL whose scope is the offline page (``luring/``)."""
    assets = [static(path) for path in SHELL_ASSETS]
    version = hashlib.sha256("|".join(assets).encode() + SW_SOURCE.read_bytes()).hexdigest()[:12]
    body = (
        SW_SOURCE.read_text(encoding="utf-8")
        .replace('"__VERSION__"', json.dumps(version))
        .replace("__ASSETS__", json.dumps(assets))
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("pos:offline")
    return response


@console_view("pos.sell")
def manifest(request):
    start = reverse("pos:offline")
    body = {
        "name": _("Galeri Karya — Kasir luring"),
        "short_name": _("Kasir luring"),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d7a",
        "lang": "id",
        "icons": [{"src": static("galeri/favicon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@console_view("pos.report")
def negative_list(request):
    return render(request, "pos/offline_negative_list.html", {"rows": offline_selectors.negative_stock_locations(request.user)})


@console_view("pos.report")
def negative_detail(request, pk):
    location = get_scoped_or_404(StockLocation.objects.select_related("unit"), request.user, "pos.report", pk=pk)
    if request.method == "POST":
        product = request.POST.get("product") or ""
        try:
            done = offline.resolve_shortfalls(location, int(product) if product.isdigit() else 0, user=request.user)
        except PosError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("%(n)s catatan stok minus ditandai selesai.") % {"n": done})
        return redirect("pos:offline_negative_location", pk=location.pk)
    context = {
        "location": location,
        "rows": offline_selectors.negative_stock(location),
        "can_resolve": can(request.user, "pos.tills", location.unit),
    }
    return render(request, "pos/offline_negative.html", context)
