"""Photos on the product edit page: several at once, all or none, order, alt text, delete."""

import pytest

from galeri.catalog.models import ProductPhoto
from galeri.catalog.photos import MAX_PHOTOS
from tests.helpers import image_bytes, png_claiming, text_of, upload

pytestmark = pytest.mark.django_db


def photos_url(product, photo=None):
    return f"/petugas/produk/{product.pk}/foto/" + (f"{photo.pk}/" if photo else "")


def files(*items):
    return [upload(data, name) for name, data in items]


def order(product):
    return list(product.photos.order_by("position", "id").values_list("alt_text", flat=True))


def test_several_photos_at_once(signed_in, staff, product, list_media_files):
    client = signed_in(staff.lapas_officer)
    response = client.post(
        photos_url(product),
        {
            "photos": files(("a.jpg", image_bytes("JPEG", (800, 600))), ("b.png", image_bytes("PNG", (300, 300)))),
            "alt_text": "Tas anyaman",
        },
        follow=True,
    )
    assert "2 foto ditambahkan." in text_of(response)
    assert list(product.photos.values_list("position", flat=True).order_by("position")) == [0, 1]
    assert len(list_media_files()) >= 4  # originals and thumbnails


def test_one_bad_file_and_none_is_saved(signed_in, staff, product, list_media_files):
    client = signed_in(staff.lapas_officer)
    response = client.post(
        photos_url(product),
        {"photos": files(("bagus.jpg", image_bytes("JPEG", (800, 600))), ("rusak.jpg", b"bukan gambar sama sekali"))},
        follow=True,
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "“rusak.jpg” ditolak" in text and "Tidak ada foto yang disimpan" in text
    assert not ProductPhoto.objects.exists()
    assert list_media_files() == []


@pytest.mark.parametrize(
    "name, data",
    [
        ("kosong.jpg", b""),
        ("bom.png", png_claiming(30_000, 30_000)),
        ("<script>alert(1)</script>.jpg", b"GIF89a" + b"\0" * 20),
        ("potong.jpg", image_bytes("JPEG", (400, 300))[:200]),
    ],
)
def test_bad_files_never_500_and_leave_nothing(signed_in, staff, product, list_media_files, name, data):
    response = signed_in(staff.lapas_officer).post(photos_url(product), {"photos": files((name, data))}, follow=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not ProductPhoto.objects.exists() and list_media_files() == []


def test_no_file_chosen(signed_in, staff, product):
    response = signed_in(staff.lapas_officer).post(photos_url(product), {}, follow=True)
    assert "Pilih setidaknya satu foto." in text_of(response)


def test_photo_limit(signed_in, staff, product, settings):
    client = signed_in(staff.lapas_officer)
    many = files(*[(f"f{i}.png", image_bytes("PNG", (20, 20))) for i in range(MAX_PHOTOS + 1)])
    response = client.post(photos_url(product), {"photos": many}, follow=True)
    assert "paling banyak" in text_of(response)
    assert not ProductPhoto.objects.exists()


def test_reorder_alt_text_and_delete(signed_in, staff, product, list_media_files, django_capture_on_commit_callbacks):
    client = signed_in(staff.lapas_officer)
    for name in ("satu", "dua", "tiga"):
        client.post(photos_url(product), {"photos": files((f"{name}.png", image_bytes("PNG", (50, 50)))), "alt_text": name})
    assert order(product) == ["satu", "dua", "tiga"]
    tiga = product.photos.get(alt_text="tiga")
    client.post(photos_url(product, tiga), {"action": "up"})
    assert order(product) == ["satu", "tiga", "dua"]
    client.post(photos_url(product, tiga), {"action": "up"})
    assert order(product) == ["tiga", "satu", "dua"]
    client.post(photos_url(product, tiga), {"action": "up"})  # already first: nothing moves
    assert order(product) == ["tiga", "satu", "dua"]
    client.post(photos_url(product, tiga), {"action": "down"})
    assert order(product) == ["satu", "tiga", "dua"]

    response = client.post(photos_url(product, tiga), {"action": "alt", "alt_text": "  "}, follow=True)
    assert "Teks alternatif tidak boleh kosong" in text_of(response)
    client.post(photos_url(product, tiga), {"action": "alt", "alt_text": "Tas anyaman tampak samping"})
    assert order(product) == ["satu", "Tas anyaman tampak samping", "dua"]

    before = len(list_media_files())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(photos_url(product, product.photos.get(alt_text="satu")), {"action": "delete"})
    assert order(product) == ["Tas anyaman tampak samping", "dua"]
    assert list(product.photos.order_by("position").values_list("position", flat=True)) == [0, 1]
    assert len(list_media_files()) < before


def test_photos_of_another_unit_are_out_of_reach(signed_in, staff, unit_tree, make_product, category):
    theirs = make_product(unit=unit_tree.lpp, category=category)
    client = signed_in(staff.lapas_officer)
    response = client.post(photos_url(theirs), {"photos": files(("a.png", image_bytes("PNG", (50, 50))))})
    assert response.status_code == 404
    assert not ProductPhoto.objects.exists()
    # A photo id of another product under a product of one's own: 404 too.
    mine = make_product(unit=unit_tree.lapas, category=category)
    signed_in(staff.lpp_officer).post(photos_url(theirs), {"photos": files(("a.png", image_bytes("PNG", (50, 50))))})
    photo = theirs.photos.get()
    assert client.post(photos_url(mine, photo), {"action": "delete"}).status_code == 404
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
