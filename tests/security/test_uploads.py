"""Uploads: type from content, refused SVG/HTML, random names outside the code tree, served only
as images with nosniff and a sandbox."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from galeri.catalog.models import ProductPhoto
from galeri.catalog.photos import add_photo
from galeri.catalog.services import CatalogError
from galeri.units.models import Role
from tests.helpers import image_bytes, upload, verify_session

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# A GIF header followed by script: a "polyglot" a browser could sniff as HTML if served raw.
POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=1;alert(1)//<script>alert(1)</script>"


@pytest.fixture
def officer_client(make_staff, unit_tree):
    user = make_staff(Role.OFFICER, unit_tree.lapas)
    client = Client()
    client.force_login(user)
    verify_session(client, user)
    return client


@pytest.mark.parametrize(
    "data,name,content_type",
    [
        (SVG, "foto.svg", "image/svg+xml"),
        (SVG, "foto.jpg", "image/jpeg"),
        (HTML, "foto.png", "image/png"),
        (HTML, "halaman.html", "text/html"),
        (POLYGLOT, "foto.gif", "image/gif"),
        (b"<?php system($_GET['c']); ?>", "foto.php.jpg", "image/jpeg"),
    ],
)
def test_svg_html_and_scripts_are_refused_with_a_message_and_nothing_stored(
    officer_client, product, unit_tree, list_media_files, data, name, content_type
):
    product.unit = unit_tree.lapas
    product.save()
    response = officer_client.post(
        f"/petugas/produk/{product.pk}/foto/", {"photos": upload(data, name, content_type)}, follow=True
    )
    assert response.status_code == 200
    assert "ditolak" in response.content.decode()
    assert list_media_files() == []
    assert not ProductPhoto.objects.exists()


def test_a_photo_is_stored_under_a_random_name_outside_the_code_tree(product, media_root):
    photo = add_photo(product, upload(image_bytes("JPEG", size=(300, 200)), "KTP Budi Santoso ../../galeri/x.jpg"))
    names = [photo.image.name, *photo.thumbnails.values()]
    for name in names:
        assert re.fullmatch(r"produk/[0-9a-f]{2}/[0-9a-f]{32}\.webp", name), name
        assert "Budi" not in name
    stored = (Path(django_settings.MEDIA_ROOT) / photo.image.name).resolve()
    assert stored.is_file()
    assert not stored.is_relative_to(ROOT / "galeri")


def test_a_photo_is_served_as_an_image_that_can_do_nothing_else(client, product):
    photo = add_photo(product, upload(image_bytes("PNG", size=(120, 120))))
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"RIFF")


@pytest.mark.parametrize("name,body", [("x.html", HTML), ("x.svg", SVG), ("x.js", b"alert(1)"), ("x.txt", b"hai"), ("x", b"hai")])
def test_other_files_under_media_are_never_served(client, media_root, name, body):
    (media_root / name).write_bytes(body)
    assert client.get(f"/media/{name}").status_code == 404


def test_media_cannot_reach_outside_its_folder(client, media_root):
    for path in ["/media/../galeri/settings.py", "/media/%2e%2e/%2e%2e/etc/passwd.png", "/media//etc/passwd.png"]:
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert b"SECRET_KEY" not in response.content and b"root:" not in response.content


def test_a_photo_too_big_or_with_too_many_pixels_is_refused(product, settings, list_media_files):
    settings.IMAGE_MAX_BYTES = 2_000
    with pytest.raises(CatalogError):
        add_photo(product, upload(image_bytes("PNG", size=(400, 400), color=(1, 2, 3)) + b"\0" * 5_000))
    settings.IMAGE_MAX_BYTES = 10 * 1024 * 1024
    settings.IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(CatalogError) as refused:
        add_photo(product, upload(image_bytes("PNG", size=(200, 200))))
    assert "piksel" in str(refused.value).lower() or "besar" in str(refused.value).lower()
    assert list_media_files() == []
