from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.notifications import channels, selectors, services
from galeri.notifications.models import Message, Status
from galeri.units.scoping import allowed_units, console_view, get_scoped_or_404

RESEND = "notifications.resend"


@console_view(selectors.ACTION)
def outbox(request):
    units = list(allowed_units(request.user, selectors.ACTION).order_by("path"))
    unit_id = request.GET.get("unit", "")
    unit_id = int(unit_id) if unit_id.isdigit() and any(u.pk == int(unit_id) for u in units) else None
    status = request.GET.get("status", "")
    page = Paginator(selectors.outbox_of(request.user, unit_id=unit_id, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/console/outbox.html",
        {
            "units": units,
            "unit_id": unit_id,
            "status": status,
            "statuses": Status.choices,
            "page": page,
            "messages_list": page.object_list,
            "resendable": (Status.FAILED, Status.MANUAL),
            "whatsapp_provider": channels.whatsapp_provider(),
            "forgotten": services.FORGOTTEN,
        },
    )


@console_view(RESEND)
@require_POST
def resend(request, pk):
    message = get_scoped_or_404(Message.objects.all(), request.user, RESEND, pk=pk)
    if message.status not in (Status.FAILED, Status.MANUAL) or message.recipient == services.FORGOTTEN:
        flash.error(request, _("Hanya pesan yang gagal yang bisa dikirim ulang."))
    else:
        services.resend(message, request.user)
        flash.success(request, _("Pesan dimasukkan lagi ke antrean dan dikirim."))
    return redirect("notifications_console:list")
