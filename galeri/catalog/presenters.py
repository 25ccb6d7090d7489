"""What a product page says outside the gallery: WhatsApp text, share links, Open Graph, JSON-LD.

Only product, workshop and unit facts go out: never a person.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _

from galeri.catalog.share_image import share_image_name
from galeri.core.money import format_rupiah
from galeri.core.phone import whatsapp_link


def product_share(request, product):
    url = request.build_absolute_uri(product.get_absolute_url())
    photo = product.prefetched_photos[0] if getattr(product, "prefetched_photos", None) else None
    image_url = request.build_absolute_uri(photo.thumbnail_url(960)) if photo else ""
    # The 1200×630 share picture (galeri.catalog.share_image); ?v= changes with what it shows.
    version = share_image_name(product).rsplit("/", 1)[-1].removesuffix(".jpg")
    share_image_url = request.build_absolute_uri(reverse("catalog:share_image", kwargs={"slug": product.slug}) + "?v=" + version)
    ask = _('Halo %(unit)s, saya tertarik dengan produk "%(name)s" (%(price)s) di Galeri Karya: %(url)s') % {
        "unit": product.unit.short_name,
        "name": product.name,
        "price": format_rupiah(product.price),
        "url": url,
    }
    share_text = _("%(name)s, karya Warga Binaan %(unit)s: %(url)s") % {
        "name": product.name,
        "unit": product.unit.short_name,
        "url": url,
    }
    description = product.short_description or product.description[:180]
    availability = {
        "available": "https://schema.org/InStock",
        "limited": "https://schema.org/LimitedAvailability",
        "sold_out": "https://schema.org/OutOfStock",
        "to_order": "https://schema.org/PreOrder",
        "service": "https://schema.org/InStock",
    }[product.availability]
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": description,
        "sku": product.sku,
        "category": product.category.name,
        "url": url,
        "brand": {"@type": "Brand", "name": "Karya Warga Binaan"},
        "offers": {
            "@type": "Offer",
            "price": str(product.price),
            "priceCurrency": "IDR",
            "availability": availability,
            "url": url,
            "seller": {"@type": "Organization", "name": product.unit.official_name},
        },
    }
    if image_url:
        json_ld["image"] = [image_url]
    return {
        "url": url,
        "image_url": image_url,
        "share_image_url": share_image_url,
        "share_text": share_text,
        "description": description,
        "whatsapp_ask": whatsapp_link(product.unit.whatsapp, ask),
        "whatsapp_share": "https://wa.me/?text=" + quote(share_text),
        "facebook_share": "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe=""),
        "json_ld": json_ld,
    }


def unit_whatsapp(unit):
    return whatsapp_link(
        unit.whatsapp, _("Halo %(unit)s, saya ingin bertanya tentang karya di Galeri Karya.") % {"unit": unit.short_name}
    )
