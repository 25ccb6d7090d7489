from django.utils.functional import SimpleLazyObject

from galeri.catalog.models import Category


def navigation(request):
    def nav_categories():
        return list(Category.objects.filter(parent__isnull=True).only("name", "name_en", "slug", "icon"))

    # Lazy: pages that do not show the navigation (errors, console) pay nothing.
    return {"nav_categories": SimpleLazyObject(nav_categories)}
