"""The search endpoint the checkout's address box asks as the buyer types: an HTML fragment of
radio buttons, and a 400 in Indonesian (never a 500) for anything else."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.test_pages import assert_valid_html

URL = "/wilayah/cari/"


@pytest.mark.django_db
def test_typing_passo_offers_passo_baguala_as_a_radio(client):
    response = client.get(URL, {"field": "u5-region", "u5-region_q": "passo"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="u5-region-results"' in html
    assert 'name="u5-region" value="81.71.03.2001"' in html
    assert "Passo, Baguala, Kota Ambon, Maluku" in html and "97232" in html
    assert " style=" not in html and "<script" not in html
    assert_valid_html(f"<!doctype html><html lang=id><title>x</title><form>{html}</form></html>".encode())


@pytest.mark.django_db
def test_nothing_found_says_so_and_the_query_is_escaped(client):
    html = client.get(URL, {"field": "u5-region", "q": "<b>zzq</b>"}).content.decode()
    assert "Tidak ada kelurahan/desa yang cocok" in html and "<b>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["", "region", "u5-region\n", "u-region", "u5-street", "<x>"])
def test_a_field_name_we_did_not_draw_is_a_400_in_indonesian(client, field):
    response = client.get(URL, {"field": field, "q": "passo"})
    assert response.status_code == 400
    assert "wilayah" in response.content.decode()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=200), field=st.one_of(st.just("u7-region"), st.text(max_size=20)))
def test_any_input_answers_200_or_400(client, query, field):
    query = query.replace("\x00", "")
    response = client.get(URL, {"field": field.replace("\x00", ""), "u7-region_q": query})
    assert response.status_code in (200, 400)
