"""Weight and size for shipping: a product's own, else its category's defaults (the category, then
its parent), and the parcel of a set of order lines. Called by shipping rates (another app, above
catalog) and by the console's warnings ("Berat/ukuran memakai bawaan kategori").

A parcel packs the lines side by side: its length and width are the largest of the pieces, its
height the pieces' heights stacked (each piece times its quantity); the weight is the sum.
"""

from dataclasses import dataclass, field

from galeri.catalog.models import CategoryKind

DIMENSIONS = ("length_cm", "width_cm", "height_cm")


class Source:
    PRODUCT = "product"  # the product's own figures
    CATEGORY = "category"  # at least one figure from the category's defaults
    MISSING = "missing"  # neither the product nor its category has a figure


@dataclass(frozen=True)
class ShippingSize:
    """One piece: grams and centimetres, each None when nothing is known."""

    grams: int | None
    length_cm: int | None
    width_cm: int | None
    height_cm: int | None
    source: str

    @property
    def complete(self):
        return None not in (self.grams, self.length_cm, self.width_cm, self.height_cm)

    @property
    def uses_category(self):
        return self.source == Source.CATEGORY


@dataclass
class Parcel:
    """The lines packed together. ``defaulted``: products whose figures came (partly) from their
    category; ``missing``: products with a figure known nowhere (staff must fill it in)."""

    grams: int = 0
    length_cm: int = 0
    width_cm: int = 0
    height_cm: int = 0
    defaulted: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def complete(self):
        return not self.missing

    @property
    def volume_cm3(self):
        return self.length_cm * self.width_cm * self.height_cm


def _category_value(category, name):
    for node in (category, getattr(category, "parent", None) if category is not None else None):
        value = getattr(node, f"default_{name}", None) if node is not None else None
        if value:
            return value
    return None


def ships(product):
    """Goods and produce are shipped; a service is not."""
    return product.category.kind != CategoryKind.SERVICE


def shipping_weight(product):
    """The product's ShippingSize: each of weight, length, width and height its own when filled
    in (and above zero), else the category's default."""
    own = {"grams": product.weight_grams or None, **{d: getattr(product, d) or None for d in DIMENSIONS}}
    category = product.category
    figures = {
        "grams": own["grams"] or _category_value(category, "weight_grams"),
        **{d: own[d] or _category_value(category, d) for d in DIMENSIONS},
    }
    if None in figures.values():
        source = Source.MISSING
    elif own["grams"] and all(own[d] for d in DIMENSIONS):
        source = Source.PRODUCT
    else:
        source = Source.CATEGORY
    return ShippingSize(source=source, **figures)


def parcel_of(lines):
    """The Parcel of order lines: anything with ``product`` and ``quantity`` (an OrderLine, a cart
    item), or (product, quantity) pairs. Services are left out."""
    parcel = Parcel()
    for line in lines:
        product, quantity = line if isinstance(line, tuple) else (line.product, line.quantity)
        if quantity <= 0 or not ships(product):
            continue
        size = shipping_weight(product)
        if size.source == Source.MISSING:
            parcel.missing.append(product)
        elif size.source == Source.CATEGORY:
            parcel.defaulted.append(product)
        parcel.grams += (size.grams or 0) * quantity
        parcel.length_cm = max(parcel.length_cm, size.length_cm or 0)
        parcel.width_cm = max(parcel.width_cm, size.width_cm or 0)
        parcel.height_cm += (size.height_cm or 0) * quantity
    return parcel
