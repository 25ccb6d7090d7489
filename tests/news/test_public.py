"""The public face of the news: the list, a post with its share preview, the Atom feed (parsed
back), the sitemap and the home page. A post that is not published is nowhere public, and the
cached pages follow a publication and a take-back at once."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from galeri.core.workflow import transition
from galeri.news.models import PostStatus
from galeri.news.workflow import NEWS
from tests.helpers import image_bytes, text_of, upload

pytestmark = pytest.mark.django_db

S = PostStatus
ATOM = "{http://www.w3.org/2005/Atom}"


def _everywhere(client):
    """Every public place a post may show: the list, the home page, the feed and the sitemap."""
    sitemap = client.get("/sitemap-berita.xml").content.decode()
    return {
        "list": text_of(client.get(reverse("news:list"))),
        "home": text_of(client.get(reverse("catalog:home"))),
        "feed": client.get(reverse("news:feed")).content.decode(),
        "sitemap": sitemap,
    }


def test_a_post_is_public_only_while_published(posts, staff):
    hidden = {state: posts.reach(state, title=f"Judul {state} rahasia") for state in S if state != S.PUBLISHED}
    shown = posts.published("Bazar IPPAFest ramai")
    client = Client()
    places = _everywhere(client)
    for name, text in places.items():
        if name != "sitemap":
            assert "Bazar IPPAFest ramai" in text, name
        for post in hidden.values():
            assert post.title not in text, (name, post.status)
            assert post.slug not in text, (name, post.status)
    assert shown.slug in places["sitemap"]
    for post in hidden.values():
        assert client.get(f"/berita/{post.slug}/").status_code == 404
    assert client.get(shown.get_absolute_url()).status_code == 200


def test_publishing_and_taking_back_renew_the_cached_pages(posts, staff, django_capture_on_commit_callbacks):
    client = Client()
    first = client.get(reverse("catalog:home"))
    assert first["X-Page-Cache"] == "miss"
    assert client.get(reverse("catalog:home"))["X-Page-Cache"] == "hit"
    client.get(reverse("news:list"))
    post = posts.reach(S.SUBMITTED, title="Kabar baru dari LPP")
    assert "Kabar baru dari LPP" not in text_of(client.get(reverse("catalog:home")))
    with django_capture_on_commit_callbacks(execute=True):
        post = transition(NEWS, post, "setujui", user=staff.lapas_admin)
    home = client.get(reverse("catalog:home"))
    assert home["X-Page-Cache"] == "miss" and "Kabar baru dari LPP" in text_of(home)
    assert "Kabar baru dari LPP" in text_of(client.get(reverse("news:list")))
    assert client.get(post.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        transition(NEWS, post, "tarik", user=staff.lapas_admin)
    assert "Kabar baru dari LPP" not in text_of(client.get(reverse("catalog:home")))
    assert "Kabar baru dari LPP" not in text_of(client.get(reverse("news:list")))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_the_home_page_shows_the_latest_three(posts):
    for n in range(5):
        posts.published(f"Berita nomor {n}")
    text = text_of(Client().get(reverse("catalog:home")))
    assert [n for n in range(5) if f"Berita nomor {n}" in text] == [2, 3, 4]


def test_the_post_page_has_its_share_preview(posts, staff):
    from galeri.news import services

    plain = posts.published("Tanpa foto", body="Isi *pertama* yang cukup panjang. " * 20)
    page = Client().get(plain.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Tanpa foto">' in page
    assert "og:description" in page and "<em>pertama</em>" in page
    assert '<meta property="og:image" content="http://testserver/static/news/berita-bagikan.jpg">' in page
    assert 'content="1200"' in page and 'content="630"' in page
    post = posts.draft(title="Dengan foto")
    services.save_post(
        post,
        user=staff.lapas_officer,
        title="Dengan foto",
        body="Isi",
        photo=upload(image_bytes("JPEG", size=(800, 600))),
        photo_alt="Meja pameran",
        no_inmate_confirmed=True,
    )
    post = transition(NEWS, transition(NEWS, post, "ajukan", user=staff.lapas_officer), "setujui", user=staff.lapas_admin)
    page = Client().get(post.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver/media/{post.share_image}">' in page
    assert 'alt="Meja pameran"' in page


def test_the_feed_parses_as_atom_with_the_published_posts(posts):
    posts.published("Pertama", body="Satu **dua** <script>alert(1)</script>")
    posts.published("Kedua")
    posts.reach(S.SUBMITTED, title="Belum terbit")
    response = Client().get(reverse("news:feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Kedua", "Pertama"]
    first = entries[1]
    assert first.find(f"{ATOM}link").get("href").startswith("http://testserver/berita/")
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Lapas Ambon"
    content = first.find(f"{ATOM}content")
    assert content.get("type") == "html" and "<strong>dua</strong>" in content.text
    assert "<script" not in content.text and "<script" not in first.find(f"{ATOM}summary").text
    assert first.find(f"{ATOM}id").text.startswith("tag:galeri-karya,")


def test_the_list_pages_and_bad_page_numbers_never_break(posts):
    for n in range(14):
        posts.published(f"Kabar {n}")
    client = Client()
    first = text_of(client.get(reverse("news:list")))
    second = text_of(client.get(reverse("news:list") + "?hal=2"))
    assert "Kabar 13" in first and "Kabar 0" not in first and "Kabar 0" in second
    for junk in ["0", "-1", "abc", "9" * 30, "\x00"]:
        assert client.get(reverse("news:list"), {"hal": junk}).status_code == 200
    assert client.get("/en/berita/").status_code == 200


def test_public_pages_take_a_bounded_number_of_queries(posts, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # count the real work, not the cache
    for n in range(15):
        posts.published(f"Kabar {n}")
    client = Client()
    post = posts.published("Satu lagi")
    for url, most in [
        (reverse("news:list"), 6),
        (reverse("news:list") + "?hal=2", 6),
        (post.get_absolute_url(), 5),
        (reverse("news:feed"), 3),
        ("/sitemap-berita.xml", 3),
    ]:
        client.get(url)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


def test_an_inactive_units_posts_are_not_public(posts, unit_tree):
    from galeri.units.services import save_unit

    post = posts.published("Dari unit yang ditutup")
    lapas = unit_tree.lapas
    lapas.is_active = False
    save_unit(lapas)
    client = Client()
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Dari unit yang ditutup" not in client.get(reverse("news:feed")).content.decode()


def test_two_posts_of_the_same_title_have_their_own_pages(posts):
    first = posts.published("Pameran Ambon")
    second = posts.published("Pameran Ambon")
    assert first.slug == "pameran-ambon" and second.slug == "pameran-ambon-2"
    client = Client()
    assert client.get(first.get_absolute_url()).status_code == 200
    assert client.get(second.get_absolute_url()).status_code == 200
