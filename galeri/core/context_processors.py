from django.conf import settings


def site(request):
    # The navigation's categories come from galeri.catalog.context_processors.navigation (core
    # sits below catalog and does not import it).
    return {"SITE_URL": settings.SITE_URL}
