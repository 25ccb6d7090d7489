"""Objects of the payments console for the authorisation matrix (tests/units/test_authz_matrix.py)."""


def _provider_form(objects, unit):
    """A unit's provider form: the unit is the object (with an account holding a secret)."""
    return {"unit_pk": unit.pk, "provider": "midtrans"}


def _settings_form(objects, unit):
    """A unit's payment settings form (methods online and at the counter): the unit is the object."""
    return {"unit_pk": unit.pk}


OBJECTS = {
    "payments_console:provider_edit": _provider_form,
    "payments_console:settings_edit": _settings_form,
}


def _refund_task(objects, unit):
    """A QRIS refund task of the unit (for one of its orders)."""
    from galeri.payments import refunds

    task = refunds.request_refund(unit, "order", 1, 25_000, "qris", f"{unit.code}-BATAL", "Pesanan dibatalkan")
    return {"pk": task.pk}


OBJECTS["payments_console:refund_paid"] = _refund_task
