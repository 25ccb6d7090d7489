import datetime

import pytest

from galeri.events import services


@pytest.fixture
def make_event(db):
    """make_event(user, organiser, units, **fields) -> an event through the service (dates default to 10–12 Dec 2026)."""

    def make(user, organiser, units, **fields):
        fields.setdefault("name", "Bazar Lapangan Merdeka")
        fields.setdefault("place_name", "Lapangan Merdeka Ambon")
        fields.setdefault("kind", "bazar")
        fields.setdefault("starts_on", datetime.date(2026, 12, 10))
        fields.setdefault("ends_on", datetime.date(2026, 12, 12))
        return services.create_event(user=user, organiser=organiser, units=units, **fields)

    return make
