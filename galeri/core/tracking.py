"""The one "Lacak" page: a code of any kind and the WhatsApp number it was made with open the
buyer's own tracking page of that kind (online order, checkout, service booking, custom order).

``core`` knows none of those apps. Each registers a finder in its ``AppConfig.ready``:
``register(finder)`` where ``finder(code, phone)`` gets the code already cleaned (upper case, no
spaces) and the number in E.164 (+62...), and returns the URL of the buyer's tracking page (a
signed link) or None. A finder answers None at once for a code that is not of its kind, so one
lookup makes one or two queries whatever the number of kinds.

A wrong code and a wrong number get the same answer, so the page never tells which one was
wrong; failed lookups are counted per client address (``LIMIT`` an hour).

"Kirim ulang tautan" (``resend``): a buyer whose link expired (``core.links.ended_long_ago``)
gives the code and the number; each app's resender (``register_resender``: ``resender(code,
phone)`` queues a new link to the email and WhatsApp on record when both match) is asked, and
the page answers the same whatever happened. Every request counts (``RESEND_LIMIT`` per client
address an hour); each app sends one link per thing an hour at most (the outbox's key).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from galeri.core import ratelimit
from galeri.core.phone import normalize_phone

LIMIT = 20  # failed lookups per client address per hour
RESEND_LIMIT = 5  # requests to send a link again, per client address per hour
WINDOW = 60 * 60
MAX_CODE = 40
_FINDERS = []
_RESENDERS = []
_SPACES = re.compile(r"[\s\u00a0]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212_]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def register(finder):
    """Add ``finder(code, phone) -> url | None`` (idempotent: ready() may run twice in tests)."""
    if finder not in _FINDERS:
        _FINDERS.append(finder)
    return finder


def register_resender(resender):
    """Add ``resender(code, phone) -> bool`` (queues a new link when code and number match)."""
    if resender not in _RESENDERS:
        _RESENDERS.append(resender)
    return resender


def clean_code(raw) -> str:
    """'  lpa - 20261208 – 0001 ' -> 'LPA-20261208-0001' (case, spaces and dash forms do not matter)."""
    text = _CONTROL.sub("", str(raw or ""))
    return _DASHES.sub("-", _SPACES.sub("", text)).upper()[:MAX_CODE]


def find(code, phone):
    """The tracking URL of whatever ``code`` names and ``phone`` made, else None."""
    for finder in _FINDERS:
        url = finder(code, phone)
        if url:
            return url
    return None


class LacakForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=80,
        help_text=gettext_lazy(
            "Kode pesanan (mis. LPA-20261208-0001), referensi checkout (GK-…), kode pemesanan jasa (LPA-J…) "
            "atau kode pesanan khusus (PK-LPA-00001)."
        ),
        error_messages={"required": gettext_lazy("Isi kode yang Anda terima.")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Nomor WhatsApp yang dipakai saat memesan"),
        max_length=30,
        help_text=gettext_lazy("Mis. 0812-3456-7890 atau +62 812-3456-7890."),
        error_messages={"required": gettext_lazy("Isi nomor WhatsApp.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_code(self):
        return clean_code(self.cleaned_data["code"])

    def clean_phone(self):
        try:
            return normalize_phone(_CONTROL.sub("", self.cleaned_data["phone"]))
        except ValidationError:
            raise ValidationError(_("Nomor WhatsApp tidak valid. Tulis seperti 0812-3456-7890."))


def _blocked(request):
    return ratelimit.count("lacak", ratelimit.client_ip(request), period=WINDOW) >= LIMIT


def _failed(request):
    ratelimit.hit("lacak", ratelimit.client_ip(request), limit=LIMIT, period=WINDOW)


@never_cache
@require_http_methods(["GET", "POST"])
def lacak(request):
    """GET: the form (``?kode=`` fills the code). POST: the tracking page, or one same answer."""
    form = LacakForm(request.POST or None, initial={"code": clean_code(request.GET.get("kode", ""))})
    status = 200
    if request.method == "POST":
        if _blocked(request):
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi satu jam lagi, atau hubungi unit lewat WhatsApp."))
            status = 429
        elif form.is_valid():
            url = find(form.cleaned_data["code"], form.cleaned_data["phone"])
            if url:
                return redirect(url)
            _failed(request)
            form.add_error(
                None,
                _("Kode itu tidak ditemukan dengan nomor itu. Periksa lagi kode dan nomor WhatsApp yang dipakai saat memesan."),
            )
    return render(request, "core/lacak.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def resend(request):
    """GET: the form (``?kode=`` fills the code). POST: one same answer, the link queued if it matched."""
    return resend_page(request, request.GET.get("kode", ""))


def resend_page(request, code, *, expired=False):
    """The "send my link again" page; ``expired``: shown in place of a link that expired (HTTP 410)."""
    form = LacakForm(request.POST or None, initial={"code": clean_code(code)})
    status = 410 if expired and request.method != "POST" else 200
    sent = False
    if request.method == "POST":
        decision = ratelimit.hit("lacak_resend", ratelimit.client_ip(request), limit=RESEND_LIMIT, period=WINDOW)
        if not decision.allowed:
            form.add_error(None, _("Terlalu banyak permintaan. Coba lagi satu jam lagi, atau hubungi unit lewat WhatsApp."))
            status = 429
        elif form.is_valid():
            for resender in _RESENDERS:
                if resender(form.cleaned_data["code"], form.cleaned_data["phone"]):
                    break
            sent = True
    context = {"form": form, "sent": sent, "expired": expired}
    return render(request, "core/link_resend.html", context, status=status)
