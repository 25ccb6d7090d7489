"""The cart of the sale in progress, kept server side in the Django session per till session.

It holds product ids and quantities and the client sale id made when the sale started, so
a resent completion (network error, double click) posts the same id and is recorded once.
Prices are read from the products when the cart is shown and when the sale completes.
"""

import uuid

from galeri.catalog.models import Product, ProductStatus


def _key(session):
    return f"pos_cart_{session.pk}"


def load(request, session):
    cart = request.session.get(_key(session))
    if not cart:
        cart = {"sale_id": str(uuid.uuid4()), "lines": []}
    return cart


def save(request, session, cart):
    request.session[_key(session)] = cart
    request.session.modified = True


def reset(request, session):
    request.session.pop(_key(session), None)


def add(cart, product_id, quantity=1):
    for line in cart["lines"]:
        if line[0] == product_id:
            line[1] += quantity
            return
    cart["lines"].append([product_id, quantity])


def set_quantity(cart, product_id, quantity):
    cart["lines"] = [[pid, quantity if pid == product_id else q] for pid, q in cart["lines"] if pid != product_id or quantity > 0]
    if quantity <= 0:
        cart.get("adjust", {}).pop(str(product_id), None)


def adjustments(cart):
    """{product_id: (unit_price or None, discount, reason)}: price overrides and line discounts."""
    return {int(k): (v[0], v[1], v[2]) for k, v in cart.get("adjust", {}).items()}


def set_adjustment(cart, product_id, unit_price, discount, reason):
    adjust = cart.setdefault("adjust", {})
    if unit_price is None and not discount:
        adjust.pop(str(product_id), None)
    else:
        adjust[str(product_id)] = [unit_price, discount, reason]


def sale_discount(cart):
    """(rupiah off the whole sale, reason)."""
    return cart.get("sale_discount", 0), cart.get("discount_reason", "")


def set_sale_discount(cart, amount, reason):
    cart["sale_discount"] = amount
    cart["discount_reason"] = reason if amount else ""


def sellable(unit):
    return Product.objects.filter(unit=unit, status=ProductStatus.PUBLISHED)


def find_code(unit, code):
    code = (code or "").strip()
    if not code:
        return None
    return sellable(unit).filter(sku__iexact=code).first() or sellable(unit).filter(barcode=code).first()


def rows(unit, cart):
    """[(product, quantity)] in cart order; products no longer sellable drop out."""
    products = sellable(unit).in_bulk([pid for pid, _q in cart["lines"]])
    return [(products[pid], q) for pid, q in cart["lines"] if pid in products]
