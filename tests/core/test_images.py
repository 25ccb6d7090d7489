"""galeri.core.images: every upload is decoded within bounds and re-encoded
without any metadata (EXIF GPS taken inside a prison is a security leak)."""

import io

import pytest
from PIL import Image

from galeri.core.images import THUMBNAIL_WIDTHS, ImageRejected, clean_image
from tests.helpers import (
    assert_no_metadata,
    image_bytes,
    noisy_image_bytes,
    photo_with_metadata,
    png_claiming,
    upload,
)

# Words of Pillow's or Python's own errors that must never reach a user.
NOT_FOR_USERS = ("cannot identify", "truncated", "image file", "error", "exceeds limit", "decompression bomb dos")


def refused(data, name="foto.jpg"):
    with pytest.raises(ImageRejected) as info:
        clean_image(upload(data, name))
    message = str(info.value)
    assert message and message[0].isupper() and message.endswith("."), message
    for words in NOT_FOR_USERS:
        assert words not in message.lower(), message
    return message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_metadata_is_gone_from_the_photo_and_every_thumbnail(fmt):
    original = photo_with_metadata(fmt)
    # The input really carries what must go.
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(0x8825), "the test photo must carry GPS"
    assert {"exif", "xmp", "icc_profile"} <= set(source.info)
    assert b"GPS" in original

    cleaned = clean_image(upload(original, f"kamera.{fmt.lower()}"))

    assert (cleaned.width, cleaned.height) == (1200, 900)
    for data in [cleaned.full, *cleaned.thumbnails.values()]:
        assert_no_metadata(data)


def test_thumbnails_are_webp_at_the_listed_widths():
    cleaned = clean_image(upload(image_bytes("JPEG", size=(1200, 900))))
    assert sorted(cleaned.thumbnails) == sorted(THUMBNAIL_WIDTHS) == [320, 640, 960]
    for width, data in cleaned.thumbnails.items():
        thumb = Image.open(io.BytesIO(data))
        assert thumb.format == "WEBP"
        assert thumb.size == (width, width * 3 // 4)
    full = Image.open(io.BytesIO(cleaned.full))
    assert full.format == "WEBP" and full.size == (1200, 900)


def test_the_stored_original_is_capped_at_1600_px():
    cleaned = clean_image(upload(image_bytes("PNG", size=(3200, 1200))))
    assert (cleaned.width, cleaned.height) == (1600, 600)
    assert Image.open(io.BytesIO(cleaned.full)).size == (1600, 600)


def test_a_small_image_gets_one_thumbnail_at_its_own_width():
    cleaned = clean_image(upload(image_bytes("PNG", size=(200, 100))))
    assert list(cleaned.thumbnails) == [200]
    assert Image.open(io.BytesIO(cleaned.thumbnails[200])).size == (200, 100)


def test_camera_rotation_is_applied_then_dropped():
    # Orientation 6: the camera was turned; the picture must be shown upright.
    cleaned = clean_image(upload(photo_with_metadata("JPEG", size=(1200, 900), orientation=6)))
    assert (cleaned.width, cleaned.height) == (900, 1200)
    full = Image.open(io.BytesIO(cleaned.full)).convert("RGB")
    assert full.getpixel((450, 10))[0] > 150  # the light half is now on top
    assert full.getpixel((450, 1190))[0] < 100
    assert_no_metadata(cleaned.full)


def test_transparency_is_kept():
    data = image_bytes("PNG", size=(100, 100), color=(0, 0, 0, 0), mode="RGBA")
    cleaned = clean_image(upload(data, "logo.png"))
    full = Image.open(io.BytesIO(cleaned.full))
    assert full.mode == "RGBA"
    assert full.getpixel((50, 50))[3] == 0


def test_webp_upload_is_accepted():
    cleaned = clean_image(upload(image_bytes("WEBP", size=(400, 300)), "foto.webp"))
    assert (cleaned.width, cleaned.height) == (400, 300)


def test_the_file_name_does_not_matter_only_the_content():
    cleaned = clean_image(upload(image_bytes("PNG"), "foto.jpg"))
    assert cleaned.width == 64


def test_a_text_file_named_jpg_is_refused():
    message = refused(b"Ini bukan foto, hanya teks biasa.\n" * 20, "foto.jpg")
    assert "bukan gambar" in message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused(fmt):
    data = noisy_image_bytes(fmt)
    message = refused(data[: len(data) // 2])
    assert "rusak" in message


def test_an_empty_file_is_refused():
    assert refused(b"") == "Berkas kosong."


def test_an_oversized_file_is_refused_before_decoding(settings):
    settings.IMAGE_MAX_BYTES = 1_048_576
    data = image_bytes("PNG") + b"\0" * 1_600_000
    message = refused(data)
    assert "terlalu besar" in message and "1 MB" in message


def test_an_oversized_stream_without_a_size_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1_048_576
    stream = io.BytesIO(image_bytes("PNG") + b"\0" * 1_600_000)
    with pytest.raises(ImageRejected, match="terlalu besar"):
        clean_image(stream)


def test_the_size_limit_reads_right_below_one_megabyte(settings):
    # IMAGE_MAX_BYTES comes from the environment; a small server may set 500 KB.
    settings.IMAGE_MAX_BYTES = 500 * 1024
    message = refused(image_bytes("PNG") + b"\0" * 600 * 1024)
    assert "0 MB" not in message, f"the limit is 500 KB, the message says: {message}"


def test_a_decompression_bomb_is_refused_without_decoding():
    # 20000 x 20000 pixels claimed by a file of a few hundred bytes.
    data = png_claiming(20_000, 20_000)
    assert len(data) < 1000
    message = refused(data, "bom.png")
    assert "ditolak" in message or "terlalu besar" in message


def test_more_pixels_than_allowed_are_refused(settings):
    settings.IMAGE_MAX_PIXELS = 4_000_000
    message = refused(png_claiming(5_000, 5_000), "besar.png")
    assert "terlalu besar" in message and "5000×5000" in message and "4 juta" in message


def test_the_pixel_limit_reads_right_below_one_million(settings):
    settings.IMAGE_MAX_PIXELS = 500_000
    message = refused(png_claiming(1_000, 1_000), "besar.png")
    assert "0 juta" not in message, f"the limit is 500.000 pixels, the message says: {message}"


def test_a_format_outside_the_list_is_refused():
    message = refused(image_bytes("BMP"), "foto.bmp")
    assert "tidak didukung" in message
