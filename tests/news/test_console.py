"""The console's news pages: writing with a photo (metadata stripped, alt text and the no-inmate
check required, a bad file leaves nothing behind), scoping across units, the steps from the page,
and the unit head's console home counting what waits."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from galeri.core import timeline
from galeri.news.models import Post, PostStatus
from tests.helpers import assert_no_metadata, image_bytes, media_files, photo_with_metadata, text_of, upload

pytestmark = pytest.mark.django_db

S = PostStatus


def _form(**extra):
    data = {"title": "Tas anyaman baru", "body": "Koleksi **baru** dari bengkel anyaman.", "then": "simpan"}
    data.update(extra)
    return data


def test_an_officer_writes_a_post_with_a_photo_and_submits_it(signed_in, staff, unit_tree, media_root):
    client = signed_in(staff.lapas_officer)
    page = client.get(reverse("news_console:new"))
    assert page.status_code == 200
    assert "Jangan menulis nama lengkap" in text_of(page)  # the privacy hint in the editor
    response = client.post(
        reverse("news_console:new"),
        _form(
            unit=unit_tree.lapas.pk,
            photo=upload(photo_with_metadata()),
            photo_alt="Tas anyaman di meja galeri",
            no_inmate="on",
            then="ajukan",
        ),
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == reverse("news_console:edit", args=[post.pk])
    assert post.status == S.SUBMITTED and post.unit == unit_tree.lapas and post.author == staff.lapas_officer
    assert [e.action for e in timeline.events_of(post)] == ["tulis", "ajukan"]
    assert_no_metadata((media_root / post.photo).read_bytes())
    for name in post.photo_thumbnails.values():
        assert_no_metadata((media_root / name).read_bytes())
    share = Image.open(io.BytesIO((media_root / post.share_image).read_bytes()))
    assert share.size == (1200, 630) and share.format == "JPEG" and not share.getexif()


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"photo_alt": "Tas", "no_inmate": ""}, "no_inmate"),
        ({"photo_alt": "", "no_inmate": "on"}, "photo_alt"),
    ],
)
def test_a_photo_needs_its_alt_text_and_the_no_inmate_check(signed_in, staff, unit_tree, media_root, extra, field):
    client = signed_in(staff.lapas_officer)
    response = client.post(
        reverse("news_console:new"), _form(unit=unit_tree.lapas.pk, photo=upload(image_bytes("JPEG")), **extra)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Post.objects.count() == 0 and media_files(media_root) == []


def test_a_file_that_is_not_a_photo_is_refused_and_leaves_nothing(signed_in, staff, unit_tree, media_root):
    client = signed_in(staff.lapas_officer)
    response = client.post(
        reverse("news_console:new"),
        _form(unit=unit_tree.lapas.pk, photo=upload(b"%PDF-1.4 bukan foto"), photo_alt="x", no_inmate="on"),
    )
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert Post.objects.count() == 0 and media_files(media_root) == []


def test_bad_input_never_500s(signed_in, staff, unit_tree):
    client = signed_in(staff.lapas_officer)
    for data in [
        {"unit": "x", "title": "", "body": ""},
        {"unit": unit_tree.lpp.pk, "title": "a", "body": "b"},  # a unit the officer does not reach
        {"unit": unit_tree.lapas.pk, "title": "a" * 500, "body": "b"},
        {"unit": unit_tree.lapas.pk, "title": "a\x00b", "body": "b" * 20_000},
    ]:
        response = client.post(reverse("news_console:new"), data)
        assert response.status_code == 200, data
    assert Post.objects.count() == 0
    post = Post.objects.create(unit=unit_tree.lapas, title="x", slug="x", body="y")
    for action in ["", "hapus", "x" * 50]:
        response = client.post(reverse("news_console:step", args=[post.pk]), {"action": action})
        assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == S.DRAFT


def test_another_units_posts_are_not_shown_nor_reachable(signed_in, staff, posts, unit_tree):
    mine = posts.draft(title="Berita Lapas khusus")
    lpp = signed_in(staff.lpp_officer)
    listing = lpp.get(reverse("news_console:list"))
    assert "Berita Lapas khusus" not in text_of(listing)
    assert lpp.get(reverse("news_console:edit", args=[mine.pk])).status_code == 404
    assert lpp.post(reverse("news_console:step", args=[mine.pk]), {"action": "ajukan"}).status_code == 404
    assert lpp.post(reverse("news_console:edit", args=[mine.pk]), _form()).status_code == 404
    mine.refresh_from_db()
    assert mine.status == S.DRAFT and mine.title == "Berita Lapas khusus"
    # The Kanwil's administrator reaches every unit of the region; the unit's form offers only its units.
    regional = signed_in(staff.regional)
    assert "Berita Lapas khusus" in text_of(regional.get(reverse("news_console:list")))
    form = signed_in(staff.lapas_officer).get(reverse("news_console:new")).context["form"]
    assert list(form.fields["unit"].queryset) == [unit_tree.lapas]
    assert signed_in(staff.lapas_cashier).get(reverse("news_console:list")).status_code == 403


def test_the_head_approves_from_the_page_and_the_console_home_counts_it(signed_in, staff, posts):
    post = posts.reach(S.SUBMITTED, title="Pameran IPPAFest")
    head = signed_in(staff.lapas_admin)
    home = head.get(reverse("console:home"))
    task = next(t for t in home.context["tasks"] if t["label"] == "Berita menunggu persetujuan")
    assert task["count"] == 1
    listing = head.get(task["url"])
    assert "Pameran IPPAFest" in text_of(listing)
    page = head.get(reverse("news_console:edit", args=[post.pk]))
    assert [row.action for row in page.context["actions"]] == ["setujui", "kembalikan", "arsipkan"]
    # The officer sees no approval button.
    officer_page = signed_in(staff.lapas_officer).get(reverse("news_console:edit", args=[post.pk]))
    assert officer_page.context["actions"] == []
    assert (
        signed_in(staff.lapas_officer).post(reverse("news_console:step", args=[post.pk]), {"action": "setujui"}).status_code
        == 403
    )
    head.post(reverse("news_console:step", args=[post.pk]), {"action": "setujui"})
    post.refresh_from_db()
    assert post.status == S.PUBLISHED and post.published_at is not None
    assert signed_in(staff.lpp_admin).get(reverse("console:home")).status_code == 200


def test_a_return_without_a_note_is_refused_with_a_message(signed_in, staff, posts):
    post = posts.reach(S.SUBMITTED)
    head = signed_in(staff.lapas_admin)
    response = head.post(reverse("news_console:step", args=[post.pk]), {"action": "kembalikan", "note": ""}, follow=True)
    assert "Tulis catatan untuk penulis" in text_of(response)
    post.refresh_from_db()
    assert post.status == S.SUBMITTED
    head.post(reverse("news_console:step", args=[post.pk]), {"action": "kembalikan", "note": "Judul terlalu panjang"})
    post.refresh_from_db()
    assert post.status == S.RETURNED
    page = signed_in(staff.lapas_officer).get(reverse("news_console:edit", args=[post.pk]))
    assert "Judul terlalu panjang" in text_of(page) and page.context["form"] is not None


def test_a_published_post_is_not_edited_until_taken_back(signed_in, staff, posts):
    post = posts.published("Terbit")
    officer = signed_in(staff.lapas_officer)
    assert officer.get(reverse("news_console:edit", args=[post.pk])).context["form"] is None
    officer.post(reverse("news_console:edit", args=[post.pk]), _form(title="Diubah diam-diam"))
    post.refresh_from_db()
    assert post.title == "Terbit"


def test_replacing_and_removing_the_photo_removes_the_old_files(
    signed_in, staff, unit_tree, media_root, django_capture_on_commit_callbacks
):
    client = signed_in(staff.lapas_officer)
    client.post(
        reverse("news_console:new"),
        _form(unit=unit_tree.lapas.pk, photo=upload(image_bytes("JPEG")), photo_alt="Foto satu", no_inmate="on"),
    )
    post = Post.objects.get()
    first = set(post.photo_files())
    second = upload(image_bytes("PNG", color=(10, 20, 30)), name="b.png", content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):  # the old files go after the commit
        client.post(reverse("news_console:edit", args=[post.pk]), _form(photo=second, photo_alt="Foto dua", no_inmate="on"))
    post.refresh_from_db()
    assert post.photo_alt == "Foto dua" and not first & set(post.photo_files())
    assert sorted(media_files(media_root)) == sorted(post.photo_files())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news_console:edit", args=[post.pk]), _form(remove_photo="on"))
    post.refresh_from_db()
    assert post.photo == "" and media_files(media_root) == []


def test_the_list_and_the_editor_stay_within_a_few_queries(signed_in, staff, posts, django_assert_max_num_queries):
    for _ in range(8):
        posts.reach(S.SUBMITTED)
    head = signed_in(staff.lapas_admin)
    head.get(reverse("news_console:list"))
    with django_assert_max_num_queries(14):
        assert head.get(reverse("news_console:list")).status_code == 200
    post = Post.objects.first()
    with django_assert_max_num_queries(16):
        assert head.get(reverse("news_console:edit", args=[post.pk])).status_code == 200
