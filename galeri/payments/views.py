"""The acquirers' door: ``POST /pembayaran/notifikasi/<provider>/`` (no login, no CSRF token:
the provider signs instead; ``acquiring.receive_notification`` does the rest)."""

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from galeri.payments import acquiring
from galeri.payments.acquirers import PROVIDERS


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
