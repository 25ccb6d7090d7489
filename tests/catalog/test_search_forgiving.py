"""Forgiving search (issue 19 item 2): typos corrected with "Maksud Anda", suggestions while typing,
synonym lists the units keep. On SQLite and PostgreSQL alike (CI runs both)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.catalog import search, synonyms, typos
from galeri.catalog.models import SearchSynonym
from galeri.catalog.services import CatalogError, save_product


@pytest.fixture(autouse=True)
def _fresh_words():
    search.forget_vocabulary()
    yield
    search.forget_vocabulary()


@pytest.fixture
def shelf(unit_tree, make_product, make_category):
    crafts = make_category("Anyaman", slug="anyaman")
    furniture = make_category("Kayu", slug="kayu")
    food = make_category("Pangan", slug="pangan")
    lapas = unit_tree.lapas
    return {
        "tas": make_product(unit=lapas, category=crafts, name="Tas Anyaman Pandan"),
        "tikar": make_product(unit=lapas, category=crafts, name="Tikar Anyaman Lebar"),
        "kursi": make_product(unit=lapas, category=furniture, name="Kursi Furnitur Rotan"),
        "meja": make_product(unit=lapas, category=furniture, name="Meja Perabot Jati"),
        "kue": make_product(unit=lapas, category=food, name="Kue Sagu Kenari"),
    }


def test_distance_counts_a_swap_as_one_edit():
    assert typos.distance("anyman", "anyaman") == 1
    assert typos.distance("ankyaman", "anyaman") == 1
    assert typos.distance("naymaan", "anyaman") == 2
    assert typos.distance("kue", "kue") == 0


@pytest.mark.django_db
def test_anyman_finds_anyaman_and_says_so(shelf):
    result = search.search("anyman")
    assert set(result.ids) == {shelf["tas"].id, shelf["tikar"].id}
    assert result.suggestion == "anyaman"
    result = search.search("tas anyman")
    assert result.ids == [shelf["tas"].id] and result.suggestion == "tas anyaman"


@pytest.mark.django_db
def test_exact_words_are_not_corrected_and_short_words_are_left_alone(shelf):
    result = search.search("anyaman")
    assert result.suggestion is None and set(result.ids) == {shelf["tas"].id, shelf["tikar"].id}
    assert search.search("kuw").ids == []  # three letters: too short to guess at
    assert search.search("xylofon").suggestion is None


@pytest.mark.django_db
def test_a_longer_word_forgives_two_mistakes(shelf):
    result = search.search("furnitru")  # swapped letters
    assert result.ids == [shelf["kursi"].id] and result.suggestion == "furnitur"
    assert search.search("frnitrr").ids == []  # three edits: no guess


@pytest.mark.django_db
def test_the_search_page_says_maksud_anda(client, shelf):
    page = client.get("/cari/?q=anyman").content.decode()
    assert "Maksud Anda:" in page and "<strong>anyaman</strong>" in page
    assert "Tas Anyaman Pandan" in page
    english = client.get("/en/cari/?q=anyman").content.decode()
    assert "Did you mean:" in english
    assert "Maksud Anda" not in client.get("/cari/?q=anyaman").content.decode()


@pytest.mark.django_db
def test_suggestions_while_typing(client, shelf):
    response = client.get("/cari/saran/", {"q": "any"})
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    offered = response.json()["saran"]
    assert offered[0] == "anyaman"
    assert "Tas Anyaman Pandan" in offered
    assert client.get("/cari/saran/", {"q": "anyman"}).json()["saran"][0] == "anyaman"
    assert client.get("/cari/saran/", {"q": "tas any"}).json()["saran"][0] == "tas anyaman"
    assert client.get("/cari/saran/", {"q": "a"}).json()["saran"] == []
    assert client.get("/cari/saran/").json()["saran"] == []


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_suggestions_never_fail(client, shelf, text):
    response = client.get("/cari/saran/", {"q": text.replace("\x00", "")})
    assert response.status_code == 200
    assert isinstance(response.json()["saran"], list)


@pytest.mark.django_db
def test_results_are_cached_until_the_catalogue_changes(shelf, django_assert_num_queries):
    first = search.search("pandan")
    assert first.ids == [shelf["tas"].id]
    with django_assert_num_queries(0):
        assert search.search("Pandan!").ids == first.ids  # the same words: the same result
    tas = shelf["tas"]
    tas.name = "Tas Polos"
    save_product(tas)
    assert shelf["tas"].id not in search.search("pandan").ids  # (now corrected to "pangan")


@pytest.mark.django_db
def test_a_synonym_list_finds_the_other_words(shelf, staff):
    assert search.search("mebel").ids == []
    synonyms.save_synonym(staff.lapas_admin, unit=shelf["kursi"].unit, words="Mebel, furnitur ,PERABOT")
    assert SearchSynonym.objects.get().words == "mebel, furnitur, perabot"
    assert set(search.search("mebel").ids) == {shelf["kursi"].id, shelf["meja"].id}
    assert search.search("mebel rotan").ids == [shelf["kursi"].id]
    # The word itself still ranks by the title as before.
    assert search.search("furnitur").ids[0] == shelf["kursi"].id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "words",
    ["mebel", "mebel, ", "meja makan, mebel", "a, b", "=cmd, mebel", ",".join(f"kata{n}" for n in range(9))],
)
def test_bad_synonym_lists_are_refused_with_a_message(shelf, staff, words):
    with pytest.raises(CatalogError) as caught:
        synonyms.save_synonym(staff.lapas_admin, unit=shelf["kursi"].unit, words=words)
    assert str(caught.value)
    assert not SearchSynonym.objects.exists()


@pytest.mark.django_db
def test_units_keep_their_own_lists_in_the_console(client, login, staff, unit_tree, shelf):
    login(client, staff.lapas_admin)
    assert client.get("/petugas/produk/sinonim/").status_code == 200
    response = client.post("/petugas/produk/sinonim/", {"words": "kue, kudapan, jajanan"})
    assert response.status_code == 302
    row = SearchSynonym.objects.get()
    assert row.unit == unit_tree.lapas and row.updated_by == staff.lapas_admin
    assert search.search("kudapan").ids == [shelf["kue"].id]

    bad = client.post("/petugas/produk/sinonim/", {"words": "satu"})
    assert bad.status_code == 400 and "dipisah koma" in bad.content.decode()
    assert SearchSynonym.objects.count() == 1

    client.logout()
    login(client, staff.lpp_admin)
    page = client.get("/petugas/produk/sinonim/").content.decode()
    assert "kue, kudapan, jajanan" in page  # every list applies to the whole gallery
    assert f"/petugas/produk/sinonim/{row.pk}/" not in page  # but only its unit changes it
    assert client.get(f"/petugas/produk/sinonim/{row.pk}/").status_code == 404
    assert client.post(f"/petugas/produk/sinonim/{row.pk}/hapus/").status_code == 404
    assert SearchSynonym.objects.count() == 1

    client.logout()
    login(client, staff.lapas_officer)
    assert client.get("/petugas/produk/sinonim/").status_code == 403

    client.logout()
    login(client, staff.lapas_admin)
    edited = client.post(f"/petugas/produk/sinonim/{row.pk}/", {"words": "kue, kudapan"})
    assert edited.status_code == 302
    assert client.post(f"/petugas/produk/sinonim/{row.pk}/hapus/").status_code == 302
    assert not SearchSynonym.objects.exists()
    assert search.search("kudapan").ids == []
