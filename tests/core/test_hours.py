"""Opening hours as people write them: the one source of the hours and pickup days buyers see."""

import datetime

import pytest

from galeri.core import hours

T = datetime.time


def test_the_demo_text_and_common_forms():
    demo = "Senin–Jumat 08.00–15.00 WIT\nSabtu 08.00–12.00 WIT\nMinggu dan hari libur nasional tutup"
    assert hours.parse(demo) == {**{d: (T(8), T(15)) for d in range(5)}, 5: (T(8), T(12))}
    assert hours.parse("Senin - Kamis pukul 08:00 - 16:00; Jum'at 08.00 s.d. 11.30") == {
        **{d: (T(8), T(16)) for d in range(4)},
        4: (T(8), T(11, 30)),
    }
    assert hours.parse("Senin, Rabu dan Jumat 09.00-14.00") == {d: (T(9), T(14)) for d in (0, 2, 4)}
    assert hours.parse("") == {}


@pytest.mark.parametrize("text", ["Buka setiap hari", "Senin 15.00–08.00", "Jumat–Senin 08.00–12.00", "Senin 25.00–26.00"])
def test_what_cannot_be_read_is_refused(text):
    with pytest.raises(ValueError):
        hours.parse(text)


@pytest.mark.django_db
def test_the_unit_form_refuses_hours_it_cannot_read(upt):
    from django.forms.models import model_to_dict

    from galeri.units.forms import UnitForm

    data = {k: v for k, v in model_to_dict(upt).items() if v is not None}
    form = UnitForm({**data, "opening_hours": "Buka setiap hari kecuali libur panjang kadang-kadang"}, instance=upt)
    assert not form.is_valid() and "tidak terbaca" in form.errors["opening_hours"][0]
    form = UnitForm({**data, "opening_hours": "Senin–Jumat 08.00–15.00 WIT\nSabtu tutup"}, instance=upt)
    form.is_valid()
    assert "opening_hours" not in form.errors
