"""API tokens of a unit's staff for the authorisation matrix (tests/units/test_authz_matrix.py).

A token belongs to a user, not a unit: the token of unit B's officer must be a 404 for
everyone else, whatever their role.
"""

from galeri.api import services


def token(objects, unit):
    def build():
        made, _secret = services.create_token(objects.staff(unit), "Sinkron RAHASIA")
        return made

    return objects._once(("api_token", unit.pk), build)


OBJECTS = {
    "api_console:revoke": lambda o, u: {"pk": token(o, u).pk},
}
