"""Payment instructions are drawn in one place: no template but payments/_instructions.html draws a
QRIS for a buyer or a bank account to pay into (the counter's and buyer's pages include it)."""

from pathlib import Path

import galeri

TEMPLATES = sorted(Path(galeri.__file__).parent.rglob("templates/**/*.html"))
THE_ONE = "payments/templates/payments/_instructions.html"
MARKERS = ('data-testid="qris"', "qris_src", "qris_svg", "bank_account_number }}")


def test_only_the_one_include_draws_payment_instructions():
    drawers = set()
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        if any(marker in text for marker in MARKERS):
            drawers.add(str(path.relative_to(Path(galeri.__file__).parent)))
    drawers -= {"units/templates/units/unit_form.html", "units/templates/units/unit_list.html"}  # staff settings
    assert drawers == {THE_ONE}


def test_every_page_that_shows_how_to_pay_includes_it():
    root = Path(galeri.__file__).parent
    for name in (
        "orders/templates/orders/_payment.html",
        "custom_orders/templates/custom_orders/_pay.html",
        "bookings/templates/bookings/track.html",
        "pos/templates/pos/qris.html",
        "pos/templates/pos/pickup_order.html",
    ):
        assert '{% include "payments/_instructions.html"' in (root / name).read_text(encoding="utf-8"), name
