from django.utils.functional import SimpleLazyObject

from galeri.orders.cart import Cart


def cart(request):
    """``cart_count``: pieces in the buyer's cart, read from the session only when a page shows it."""

    def count():
        return Cart(request.session).count()

    return {"cart_count": SimpleLazyObject(count)}
