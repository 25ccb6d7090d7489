from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /petugas/",
        "Disallow: /admin/",
        "Disallow: /cari/",
        "Disallow: /en/cari/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def healthz(request):
    """Liveness: the process answers. No database, no disk: a load balancer or systemd restarts
    a process that stops answering; what it depends on is /readyz (galeri.ops)."""
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    # No context processors that could fail again: a plain template.
    template = loader.get_template("core/500.html")
    return HttpResponse(template.render({"SITE_URL": settings.SITE_URL}), status=500)


def set_language(request):
    """Django's language switch, resolving `next` in the language it is written in.

    With Indonesian unprefixed, LocaleMiddleware runs this URL in Indonesian, so
    Django could not resolve an English `next` (/en/...) and the switch back to
    Indonesian kept the visitor on the English page.
    """
    from urllib.parse import urlsplit

    from django.utils import translation
    from django.views.i18n import set_language as django_set_language

    next_path = urlsplit(request.POST.get("next", request.GET.get("next", "")) or "").path
    path_language = translation.get_language_from_path(next_path)
    if path_language:
        translation.activate(path_language)
    return django_set_language(request)


# Public media are only the re-encoded photos (galeri.core.images writes WebP). Anything else that
# ends up under MEDIA_ROOT (a stray file, an operator's copy) is not served: never HTML or SVG.
MEDIA_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def media(request, path):
    """Serve an uploaded photo in the embedded default (reads MEDIA_ROOT per request)."""
    import posixpath

    from django.http import Http404
    from django.views.static import serve

    content_type = MEDIA_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None:
        raise Http404("not a photo")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["Cache-Control"] = "public, max-age=2592000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file may do nothing but be an image.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def favicon(request):
    """Browsers ask for /favicon.ico on every page, JSON ones included: point them at ours."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("galeri/favicon.svg"))
