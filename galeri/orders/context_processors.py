from django.utils.functional import SimpleLazyObject


def cart(request):
    """``cart_count``: pieces in the buyer's cart, read from the session only when a page shows it."""

    def count():
        from galeri.orders.cart import Cart

        return Cart(request.session).count()

    return {"cart_count": SimpleLazyObject(count)}
