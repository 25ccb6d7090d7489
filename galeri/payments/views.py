"""The acquirers' door: ``POST /pembayaran/notifikasi/<provider>/`` (no login, no CSRF token:
the provider signs instead; ``acquiring.receive_notification`` does the rest), and "Simpan QRIS":
``GET /pembayaran/qris/<signed token>.png`` (``instructions.qris_png``)."""

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from galeri.core import links
from galeri.payments import acquiring, instructions
from galeri.payments.acquirers import PROVIDERS
from galeri.payments.qris import QrisError


@csrf_exempt
def notification(request, provider: str):
    if provider not in PROVIDERS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = request.read(acquiring.MAX_BODY + 1)  # never more than the limit into memory
    receipt = acquiring.receive_notification(provider, dict(request.headers), body)
    response = HttpResponse(receipt.body, status=receipt.status, content_type=receipt.content_type)
    response["Cache-Control"] = "no-store"
    return response


def qris_png(request, token: str):
    """ "Simpan QRIS": the code a payment page showed, as a PNG download. The signed token is
    made only on that page (``instructions.qris_png_url``); anything else is a 404."""
    try:
        filename, png = instructions.qris_png(token)
    except (links.BadLink, QrisError) as exc:
        raise Http404 from exc
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
