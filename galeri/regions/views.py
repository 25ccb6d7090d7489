"""The kelurahan/desa search a checkout's address field asks as the buyer types (htmx), and the
same results as radio buttons the checkout page shows without JavaScript."""

import re

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from galeri.regions import selectors

# The form field the radios belong to: a checkout unit part's prefix and "region".
FIELD = re.compile(r"u\d{1,10}-region")


@require_GET
@cache_control(max_age=3600, public=True)
def search(request):
    field = request.GET.get("field", "")
    if not isinstance(field, str) or not FIELD.fullmatch(field):
        return HttpResponseBadRequest(_("Permintaan pencarian wilayah tidak lengkap."), content_type="text/plain; charset=utf-8")
    query = (request.GET.get(f"{field}_q") or request.GET.get("q") or "")[: selectors.MAX_QUERY]
    return render(request, "regions/_choices.html", selectors.results(field, query))
