import pytest
from django.core.exceptions import ValidationError

from galeri.units.models import Unit, UnitKind
from galeri.units.services import save_unit

pytestmark = pytest.mark.django_db


def paths():
    return dict(Unit.objects.values_list("code", "path"))


def test_phone_and_whatsapp_are_stored_as_plus_62(unit_tree):
    lapas = Unit.objects.get(pk=unit_tree.lapas.pk)
    assert lapas.phone == "+62911352612"
    assert lapas.whatsapp == "+6281234567890"


def test_phone_normalised_again_on_edit(upt):
    upt.whatsapp = "+62 852-4300-1122"
    upt.phone = ""
    save_unit(upt)
    upt.refresh_from_db()
    assert (upt.whatsapp, upt.phone) == ("+6285243001122", "")


def test_a_bad_phone_number_is_refused_and_nothing_is_saved(make_unit):
    with pytest.raises(ValidationError) as info:
        make_unit(code="BAD", whatsapp="0812")
    assert "Nomor telepon tidak" in info.value.messages[0]
    assert not Unit.objects.filter(code="BAD").exists()


def test_other_fields_are_validated(make_unit):
    with pytest.raises(ValidationError):
        make_unit(kind="penjara")


def test_paths_follow_the_tree(unit_tree):
    t = unit_tree
    dj, kw = t.ditjenpas.pk, t.kanwil.pk
    assert paths() == {
        "DJP": f"/{dj}/",
        "KWM": f"/{dj}/{kw}/",
        "LPA": f"/{dj}/{kw}/{t.lapas.pk}/",
        "RTA": f"/{dj}/{kw}/{t.rutan.pk}/",
        "LPPA": f"/{dj}/{kw}/{t.lpp.pk}/",
    }
    # The instances handed back carry their paths too.
    assert t.lapas.path == f"/{dj}/{kw}/{t.lapas.pk}/"


def test_resaving_keeps_the_path(unit_tree):
    before = paths()
    unit_tree.kanwil.description = "Kantor wilayah di Ambon"
    save_unit(unit_tree.kanwil)
    save_unit(Unit.objects.get(pk=unit_tree.lapas.pk))
    assert paths() == before


def test_subtree_is_the_node_and_everything_under_it(unit_tree, make_unit):
    t = unit_tree
    other = make_unit(kind=UnitKind.KANWIL, parent=t.ditjenpas, code="KWP", short_name="Kanwil Papua")
    make_unit(kind=UnitKind.LAPAS, parent=other, code="LPJ")

    assert set(t.kanwil.subtree().values_list("code", flat=True)) == {"KWM", "LPA", "RTA", "LPPA"}
    assert set(t.ditjenpas.subtree().values_list("code", flat=True)) == {"DJP", "KWM", "LPA", "RTA", "LPPA", "KWP", "LPJ"}
    assert list(t.rutan.subtree()) == [t.rutan]


def test_subtree_does_not_mistake_an_id_prefix(make_unit):
    # /7001/ must not take in /70012/: the closing slash is part of the prefix.
    root = make_unit(kind=UnitKind.KANWIL, pk=7001, code="K1")
    stranger = make_unit(kind=UnitKind.KANWIL, pk=70012, code="K2")
    child = make_unit(parent=root, code="C1")
    assert set(root.subtree()) == {root, child}
    assert set(stranger.subtree()) == {stranger}


def test_upts_are_units_that_make_and_sell(unit_tree):
    assert set(Unit.objects.upts()) == set(unit_tree.upts)


def test_moving_a_node_moves_everything_under_it(unit_tree, make_unit):
    t = unit_tree
    workshop = make_unit(kind=UnitKind.LAPAS, parent=t.lapas, code="SUB")  # a level deeper
    new_root = make_unit(kind=UnitKind.DITJENPAS, code="DJ2")

    t.kanwil.parent = new_root
    save_unit(t.kanwil)

    kw = f"/{new_root.pk}/{t.kanwil.pk}/"
    assert paths() == {
        "DJP": f"/{t.ditjenpas.pk}/",
        "DJ2": f"/{new_root.pk}/",
        "KWM": kw,
        "LPA": f"{kw}{t.lapas.pk}/",
        "RTA": f"{kw}{t.rutan.pk}/",
        "LPPA": f"{kw}{t.lpp.pk}/",
        "SUB": f"{kw}{t.lapas.pk}/{workshop.pk}/",
    }
    assert set(new_root.subtree().values_list("code", flat=True)) == {"DJ2", "KWM", "LPA", "RTA", "LPPA", "SUB"}
    assert list(t.ditjenpas.subtree()) == [t.ditjenpas]


def test_moving_a_upt_to_another_kanwil(unit_tree, make_unit):
    t = unit_tree
    other = make_unit(kind=UnitKind.KANWIL, parent=t.ditjenpas, code="KWP")
    t.rutan.parent = other
    save_unit(t.rutan)
    assert Unit.objects.get(pk=t.rutan.pk).path == f"/{t.ditjenpas.pk}/{other.pk}/{t.rutan.pk}/"
    assert set(t.kanwil.subtree().values_list("code", flat=True)) == {"KWM", "LPA", "LPPA"}


def test_a_node_cannot_move_under_itself(unit_tree):
    t = unit_tree
    before = paths()
    t.kanwil.parent = t.lapas  # would make a loop: Kanwil -> Lapas -> Kanwil
    with pytest.raises(ValidationError):
        save_unit(t.kanwil)
    assert paths() == before
    assert Unit.objects.get(pk=t.kanwil.pk).parent_id == t.ditjenpas.pk


def test_a_node_cannot_be_its_own_parent(unit_tree):
    t = unit_tree
    before = paths()
    t.rutan.parent = t.rutan
    with pytest.raises(ValidationError):
        save_unit(t.rutan)
    assert paths() == before


@pytest.mark.parametrize(
    "nip, ok", [("1975 0304 1999 0310 02", True), ("12345", False), ("19750304199903100X", False), ("", True)]
)
def test_the_head_of_units_nip_is_eighteen_digits(unit_tree, nip, ok):
    from galeri.units.forms import UnitForm

    unit = unit_tree.lapas
    data = {"official_name": unit.official_name, "short_name": unit.short_name, "head_name": "Kepala", "head_nip": nip}
    form = UnitForm(instance=unit, data=data)
    assert form.is_valid() is ok, form.errors
    if ok:
        assert form.cleaned_data["head_nip"] == nip.replace(" ", "")
    else:
        assert form.errors["head_nip"] == ["NIP terdiri dari 18 angka."]
