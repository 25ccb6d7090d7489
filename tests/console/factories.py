"""Console pages of their own with an object (tests/units/test_authz_matrix.py)."""

OBJECTS = {
    # The unit whose suspicious reservations are released (jenis and nilai come in the form).
    "console:reservations_release": lambda o, u: {"unit_pk": u.pk},
}
