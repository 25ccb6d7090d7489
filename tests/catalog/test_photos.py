"""galeri.catalog.photos.add_photo: stored files carry pixels only, and a
refused upload leaves neither a row nor a file behind."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from galeri.catalog.models import ProductPhoto
from galeri.catalog.photos import add_photo, delete_photo
from galeri.catalog.services import CatalogError
from tests.helpers import assert_no_metadata, image_bytes, noisy_image_bytes, photo_with_metadata, png_claiming, upload

pytestmark = pytest.mark.django_db


def stored_bytes(name):
    with default_storage.open(name, "rb") as f:
        return f.read()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_stored_photo_and_thumbnails_carry_no_metadata(product, media_root, list_media_files, fmt):
    photo = add_photo(product, upload(photo_with_metadata(fmt), f"IMG_0001.{fmt.lower()}"), alt_text="Tas anyaman pandan")

    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1200, 900)
    assert photo.alt_text == "Tas anyaman pandan"
    names = [photo.image.name, *photo.thumbnails.values()]
    assert sorted(names) == list_media_files()
    for name in names:
        assert name.endswith(".webp")
        assert "IMG_0001" not in name  # the original file name never reaches the disk
        assert_no_metadata(stored_bytes(name))
    assert (media_root / photo.image.name).is_file()


def test_thumbnails_exist_at_the_listed_widths(product):
    photo = add_photo(product, upload(image_bytes("JPEG", size=(1200, 900))))
    assert sorted(photo.thumbnails, key=int) == ["320", "640", "960"]
    for width, name in photo.thumbnails.items():
        thumb = Image.open(io.BytesIO(stored_bytes(name)))
        assert thumb.format == "WEBP"
        assert thumb.width == int(width)
    assert photo.thumbnail_url(300).endswith(photo.thumbnails["320"])
    assert photo.thumbnail_url(700).endswith(photo.thumbnails["960"])
    assert photo.thumbnail_url(2000).endswith(photo.thumbnails["960"])
    assert photo.srcset.count("w,") == 2 and photo.srcset.endswith("960w")


def test_photos_line_up_in_order_and_the_first_is_the_main_one(product):
    first = add_photo(product, upload(image_bytes("PNG")))
    second = add_photo(product, upload(image_bytes("PNG")))
    assert (first.position, second.position) == (0, 1)
    assert product.main_photo == first
    assert first.alt_text == product.name  # alt text defaults to the product's name


def test_delete_photo_removes_its_files(product, list_media_files, django_capture_on_commit_callbacks):
    photo = add_photo(product, upload(image_bytes("JPEG", size=(1000, 800))))
    assert len(list_media_files()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(photo)
    assert not ProductPhoto.objects.exists()
    assert list_media_files() == []


def _assert_refused(product, list_media_files, data, name="foto.jpg"):
    with pytest.raises(CatalogError) as info:
        add_photo(product, upload(data, name))
    assert info.value.code == "bad_image"
    message = info.value.messages[0]
    assert message.endswith(".") and "error" not in message.lower()
    assert not ProductPhoto.objects.exists()
    assert list_media_files() == []
    return message


def test_text_file_named_jpg(product, list_media_files):
    message = _assert_refused(product, list_media_files, b"<?php echo 'bukan foto'; ?>\n" * 30)
    assert "bukan gambar" in message


def test_truncated_image(product, list_media_files):
    data = noisy_image_bytes("JPEG")
    assert "rusak" in _assert_refused(product, list_media_files, data[: len(data) // 2])


def test_zero_byte_file(product, list_media_files):
    assert _assert_refused(product, list_media_files, b"") == "Berkas kosong."


def test_oversized_file(product, list_media_files, settings):
    settings.IMAGE_MAX_BYTES = 1_048_576
    message = _assert_refused(product, list_media_files, noisy_image_bytes("PNG", size=(800, 800)), "besar.png")
    assert "terlalu besar" in message and "1 MB" in message


def test_decompression_bomb(product, list_media_files, settings):
    settings.IMAGE_MAX_PIXELS = 40_000_000
    message = _assert_refused(product, list_media_files, png_claiming(20_000, 20_000), "bom.png")
    assert "ditolak" in message or "terlalu besar" in message


def test_too_many_pixels(product, list_media_files, settings):
    settings.IMAGE_MAX_PIXELS = 2_000_000
    message = _assert_refused(product, list_media_files, png_claiming(3_000, 3_000), "besar.png")
    assert "terlalu besar" in message and "piksel" in message


def test_files_written_before_a_failure_are_removed(product, list_media_files, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(ProductPhoto, "save", fail)
    with pytest.raises(RuntimeError):
        add_photo(product, upload(image_bytes("JPEG", size=(1200, 900))))
    assert list_media_files() == []
