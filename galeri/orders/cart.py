"""The cart, kept in the buyer's session (no account): {product id: quantity}.

Nothing here trusts the session: every read re-checks the products (published, unit
active, not a service) and the quantities against what is available now.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from galeri.catalog.models import Availability
from galeri.orders.services import MAX_LINES, MAX_QUANTITY, cart_signature, orderable_products

SESSION_KEY = "galeri_cart"


@dataclass
class CartItem:
    product: object
    quantity: int
    available: int | None  # None: made to order, no stock limit

    @property
    def line_total(self):
        return self.product.price * self.quantity

    @property
    def max_quantity(self):
        return MAX_QUANTITY if self.available is None else min(MAX_QUANTITY, self.available)

    @property
    def from_stock(self):
        stock = max(0, self.product.stock_quantity)
        return min(stock, self.quantity)

    @property
    def to_make(self):
        return self.quantity - self.from_stock if self.product.made_to_order else 0


@dataclass
class CartGroup:
    unit: object
    items: list

    @property
    def subtotal(self):
        return sum(item.line_total for item in self.items)

    @property
    def lead_days(self):
        return max([i.product.lead_time_days or 0 for i in self.items if i.to_make] or [0])


def available_for(product):
    """How many a buyer may put in the cart: the buyers' figure, or no limit when made to order."""
    if product.made_to_order:
        return None
    return max(0, product.stock_quantity)


class Cart:
    def __init__(self, session):
        self.session = session

    def _raw(self):
        raw = self.session.get(SESSION_KEY)
        if not isinstance(raw, dict):
            return {}
        out = {}
        for key, value in raw.items():
            try:
                pid, qty = int(key), int(value)
            except (TypeError, ValueError):
                continue
            if pid > 0 and qty > 0:
                out[pid] = min(qty, MAX_QUANTITY)
        return out

    def _save(self, data):
        if data:
            self.session[SESSION_KEY] = {str(k): v for k, v in data.items()}
        else:
            self.session.pop(SESSION_KEY, None)
        self.session.modified = True

    def count(self):
        return sum(self._raw().values())

    def __len__(self):
        return len(self._raw())

    def quantity_of(self, product_id):
        return self._raw().get(product_id, 0)

    def add(self, product, quantity=1):
        """Add pieces; returns (quantity now in the cart, a message for the buyer)."""
        data = self._raw()
        if product.availability in (Availability.SOLD_OUT, Availability.SERVICE):
            return data.get(product.pk, 0), _("%(product)s tidak bisa dipesan saat ini.") % {"product": product.name}
        if product.pk not in data and len(data) >= MAX_LINES:
            return 0, _("Keranjang sudah berisi %(n)d jenis barang; selesaikan pesanan ini dulu.") % {"n": MAX_LINES}
        wanted = data.get(product.pk, 0) + quantity
        limit = available_for(product)
        cap = MAX_QUANTITY if limit is None else min(limit, MAX_QUANTITY)
        if wanted > cap:
            wanted = cap
            message = _("%(product)s: hanya %(n)d yang bisa dipesan; jumlah di keranjang disesuaikan.") % {
                "product": product.name,
                "n": cap,
            }
        else:
            message = _("%(product)s masuk keranjang.") % {"product": product.name}
        if wanted <= 0:
            data.pop(product.pk, None)
        else:
            data[product.pk] = wanted
        self._save(data)
        return wanted, message

    def set(self, product_id, quantity):
        data = self._raw()
        if quantity <= 0:
            data.pop(product_id, None)
        elif product_id in data:
            data[product_id] = min(quantity, MAX_QUANTITY)
        self._save(data)

    def remove(self, product_id):
        self.set(product_id, 0)

    def clear(self):
        self._save({})

    def groups(self):
        """(groups by unit, problems): the cart as it can be ordered now. Lines no longer for sale
        are dropped and quantities above what is available are lowered, each with a message."""
        data = self._raw()
        if not data:
            return [], []
        products = orderable_products(data, with_photos=True)
        problems = []
        kept = {}
        for pid, qty in data.items():
            product = products.get(pid)
            if product is None:
                problems.append(_("Sebuah barang di keranjang tidak dijual lagi dan sudah dihapus."))
                continue
            limit = available_for(product)
            if limit is not None and qty > limit:
                if limit <= 0:
                    problems.append(_("%(product)s sudah habis dan dihapus dari keranjang.") % {"product": product.name})
                    continue
                problems.append(
                    _("%(product)s tinggal %(n)d; jumlah di keranjang disesuaikan.") % {"product": product.name, "n": limit}
                )
                qty = limit
            kept[pid] = qty
        if kept != data:
            self._save(kept)
        by_unit = {}
        for pid, qty in kept.items():
            product = products[pid]
            by_unit.setdefault(product.unit_id, CartGroup(product.unit, [])).items.append(
                CartItem(product, qty, available_for(product))
            )
        groups = sorted(by_unit.values(), key=lambda g: (g.unit.path, g.unit.pk))
        for group in groups:
            group.items.sort(key=lambda i: i.product.name)
        return groups, problems

    @staticmethod
    def signature(groups):
        return cart_signature([(i.product, i.quantity) for g in groups for i in g.items])

    @staticmethod
    def total(groups):
        return sum(g.subtotal for g in groups)
