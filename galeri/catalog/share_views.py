"""/produk/<slug>/bagikan.jpg: the 1200×630 share image of a published product (og:image).

Drawn on the first request for this version of the product (galeri.catalog.share_image) and
served from the stored file afterwards; public and cacheable like the product page.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from galeri.catalog import selectors
from galeri.catalog.share_image import ensure_share_image


@require_GET
def share_image(request, slug):
    product = selectors.product_detail(slug)
    if product is None:
        raise Http404(_("Produk tidak ditemukan."))
    name = ensure_share_image(product)
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
