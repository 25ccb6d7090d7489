"""Objects of the payments console for the authorisation matrix (tests/units/test_authz_matrix.py)."""


def _provider_form(objects, unit):
    """A unit's provider form: the unit is the object (with an account holding a secret)."""
    return {"unit_pk": unit.pk, "provider": "midtrans"}


OBJECTS = {
    "payments_console:provider_edit": _provider_form,
}
