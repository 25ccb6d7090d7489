from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from galeri.core import links
from galeri.notifications import services


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (a mail scanner following links must not unsubscribe anyone); POST stops the topic."""
    try:
        topic, address = services.read_unsubscribe(token)
    except links.BadLink:
        return render(request, "notifications/unsubscribe.html", {"bad": True}, status=404)
    done = False
    if request.method == "POST":
        services.opt_out(address, topic)
        done = True
    labels = {"reminders": _("pengingat jadwal jasa"), "stock": _("ringkasan stok menipis")}
    return render(
        request,
        "notifications/unsubscribe.html",
        {"topic": labels.get(topic, topic), "address": address, "done": done},
    )
