"""The objects of a unit that console URLs and API tests take, each built once and named with
``SECRET``, so a leak of one unit's rows to another unit's staff shows on the page."""

from django.contrib.auth.models import User

from galeri.units.models import Role, RoleAssignment
from tests.helpers import image_bytes, upload

SECRET = "RAHASIA"


class UnitObjects:
    """Builds, once per unit, the objects console URLs take. Names carry ``SECRET``.

    The ``OBJECTS`` of each ``tests/<app>/factories.py`` take one of these and a unit.
    ``category`` (default: one made here) and ``product_fields`` shape ``product(unit)``.
    """

    def __init__(self, make_product, make_category, *, category=None, product_fields=None):
        self.make_product = make_product
        self.make_category = make_category
        self.category_obj = category
        self.product_fields = product_fields or {}
        self.cache = {}

    def _once(self, key, build):
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]

    def staff(self, unit):
        def build():
            user = User.objects.create_user(
                f"{SECRET.lower()}.{unit.code.lower()}",
                f"{SECRET.lower()}.{unit.code.lower()}@contoh.go.id",
                None,
                first_name=f"Petugas {SECRET} {unit.code}",
            )
            RoleAssignment.objects.create(user=user, unit=unit, role=Role.OFFICER)
            return user

        return self._once(("staff", unit.pk), build)

    def assignment(self, unit):
        return self.staff(unit).role_assignments.get(unit=unit)

    def product(self, unit):
        return self._once(
            ("product", unit.pk),
            lambda: self.make_product(
                unit=unit, category=self.category(), name=f"Tas {SECRET} {unit.code}", **self.product_fields
            ),
        )

    def category(self):
        return self._once("category", lambda: self.category_obj or self.make_category("Kerajinan Uji"))

    def photo(self, unit):
        from galeri.catalog.photos import add_photo

        return self._once(("photo", unit.pk), lambda: add_photo(self.product(unit), upload(image_bytes("JPEG"))))

    def price_change(self, unit):
        from galeri.catalog.prices import request_price_change

        product = self.product(unit)
        return self._once(
            ("price", unit.pk),
            lambda: request_price_change(product, product.price + 5_000, user=self.staff(unit), reason=SECRET),
        )

    def product_import(self, unit):
        from galeri.catalog.models import ProductImport

        return self._once(
            ("import", unit.pk),
            lambda: ProductImport.objects.create(
                created_by=self.staff(unit), file_name=f"{SECRET}.csv", file_format="csv", content=b""
            ),
        )

    def location(self, unit):
        from galeri.inventory.services import create_location

        return self._once(("location", unit.pk), lambda: create_location(unit, f"Gudang {SECRET} {unit.code}"))

    def stocktake(self, unit):
        from galeri.inventory.stocktaking import start_stocktake

        return self._once(
            ("stocktake", unit.pk), lambda: start_stocktake(self.location(unit), user=self.staff(unit), note=SECRET)
        )
