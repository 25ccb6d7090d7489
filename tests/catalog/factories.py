"""Objects of the catalog console for the authorisation matrix (tests/units/test_authz_matrix.py)."""

from galeri.catalog.models import SearchSynonym


def synonym(o, unit):
    return o._once(
        ("catalog.synonym", unit.pk),
        # Synonym lists apply to the whole gallery and every unit's staff see them: no secret here,
        # only the right to change a list is the unit's own.
        lambda: SearchSynonym.objects.create(unit=unit, words=f"padanan{unit.pk}, sinonim{unit.pk}"),
    )


OBJECTS = {
    "catalog_console:synonym_edit": lambda o, u: {"pk": synonym(o, u).pk},
    "catalog_console:synonym_delete": lambda o, u: {"pk": synonym(o, u).pk},
}
