"""The public impact page: aggregates only, small groups suppressed."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control

from galeri.core import pagecache
from galeri.production.selectors import SUPPRESS_BELOW, impact_summary


@cache_control(public=True, max_age=300)
@pagecache.cached_page(timeout=300)  # unit names follow the catalog version; figures may lag 5 minutes
def impact(request):
    return render(request, "production/impact.html", {"impact": impact_summary(), "threshold": SUPPRESS_BELOW})
