"""Helpers for driving the buyer's pages with Django's test client."""

import re

from galeri.orders import fulfilment as rules


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)" name="{name}"', html)
    return match.group(1) if match else ""


def add(client, product, quantity=1):
    return client.post("/keranjang/tambah/", {"product": product.pk, "quantity": quantity})


def checkout_data(client, units, *, method="qris", **overrides):
    """The checkout form as a buyer fills it: pickup on the first offered day for every unit."""
    html = client.get("/checkout/").content.decode()
    data = {
        "name": "Maria Latuheru",
        "phone": "0812-3456-7890",
        "email": "maria@contoh.id",
        "note": "",
        "consent": "on",
        "key": hidden(html, "key"),
        "signature": hidden(html, "signature"),
    }
    for unit in units:
        data[f"u{unit.pk}-fulfilment"] = "ambil"
        data[f"u{unit.pk}-pickup_date"] = rules.pickup_dates(unit)[0].isoformat()
        data[f"u{unit.pk}-payment_method"] = method
    data.update(overrides)
    return data
