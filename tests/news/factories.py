"""News posts of a unit for the authorisation matrix (tests/units/test_authz_matrix.py) and the
workflow sweep (tests/units/test_authz_vertical.py): a draft written by the unit's officer, its
title and text carrying the matrix's SECRET word."""

from galeri.news import services

SECRET = "RAHASIA"


def post(o, unit):
    return o._once(
        ("news.post", unit.pk),
        lambda: services.save_post(
            None,
            user=o.staff(unit),
            unit=unit,
            title=f"Berita {SECRET} {unit.code}",
            body=f"Kabar {SECRET} dari bengkel kerja.",
        ),
    )


OBJECTS = {
    "news_console:edit": lambda o, u: {"pk": post(o, u).pk},
    "news_console:step": lambda o, u: {"pk": post(o, u).pk},
}
