from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    def nav_categories():
        from galeri.catalog.models import Category

        return list(Category.objects.filter(parent__isnull=True).only("name", "name_en", "slug", "icon"))

    # Lazy: pages that do not show the navigation (errors, console) pay nothing.
    return {"SITE_URL": settings.SITE_URL, "nav_categories": SimpleLazyObject(nav_categories)}
