"""The administrator's own counter PIN (``pos.approve_refund``): set or change it. The PIN is
never shown back, never put in a message or a log (``pins.py``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from galeri.core.errors import error_text
from galeri.units.scoping import console_view

from . import pins
from .errors import PosError


@sensitive_post_parameters("pin", "confirm")
@console_view("pos.approve_refund")
def pin(request):
    error = ""
    if request.method == "POST":
        try:
            pins.set_pin(request.user, request.POST.get("pin", ""), confirm=request.POST.get("confirm", ""))
        except PosError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("PIN kasir Anda disimpan."))
            return redirect("pos:pin")
    return render(request, "pos/pin.html", {"has_pin": pins.has_pin(request.user), "error": error}, status=400 if error else 200)
