"""Plain helpers for tests (fixtures wrapping them live in tests/conftest.py and tests/kit/)."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 120, 40), mode="RGB", **save_kwargs):
    """Bytes of a real image made with Pillow; ``save_kwargs`` go to ``Image.save``
    (``exif=``, ``icc_profile=``, ``pnginfo=``, ``xmp=``...)."""
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    image.save(out, format=fmt, **save_kwargs)
    return out.getvalue()


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    """An uploaded file as a view would receive it."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def media_files(root):
    """Every file under ``root`` (relative paths), to prove nothing was left behind."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def gps_exif(orientation=1):
    """EXIF as a phone camera writes it: GPS position (Ambon), make, a description."""
    from PIL import ExifTags

    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = "GPS Blok C Lapas Ambon"
    exif[ExifTags.Base.Make] = "KameraPetugas"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (3.0, 41.0, 45.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (128.0, 10.0, 30.0)
    gps[ExifTags.GPS.GPSProcessingMethod] = b"ASCII\0\0\0GPS"
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="3,41.75S"'
    b' exif:GPSLongitude="128,10.5E"/></rdf:RDF></x:xmpmeta>'
)


def srgb_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo_with_metadata(fmt="JPEG", size=(1200, 900), orientation=1):
    """A photo carrying EXIF with GPS, XMP with GPS and an ICC profile."""
    from PIL import PngImagePlugin

    extra = {}
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        extra["pnginfo"] = info
    else:
        extra["xmp"] = XMP
    # Left half light, right half dark: a rotation is visible in the pixels.
    image = Image.new("RGB", size, (230, 200, 150))
    image.paste((40, 60, 90), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, format=fmt, exif=gps_exif(orientation), icc_profile=srgb_profile(), **extra)
    return out.getvalue()


def assert_no_metadata(data: bytes):
    """The bytes of a stored image carry pixels only: no EXIF, XMP, ICC, GPS."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    assert dict(image.getexif()) == {}
    assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info), image.info.keys()
    for marker in (b"GPS", b"Exif", b"EXIF", b"eXIf", b"XMP ", b"xmpmeta", b"ICCP", b"KameraPetugas", b"Lapas"):
        assert marker not in data, marker
    # A WebP file is RIFF chunks: only image data chunks may be there.
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, offset = [], 12
    while offset + 8 <= len(data):
        tag, size = data[offset : offset + 4], int.from_bytes(data[offset + 4 : offset + 8], "little")
        chunks.append(tag)
        offset += 8 + size + (size & 1)
    assert set(chunks) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}, chunks


def png_claiming(width, height):
    """A tiny, valid-looking PNG whose header claims width x height pixels."""
    import struct
    import zlib

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def noisy_image_bytes(fmt="PNG", size=(400, 300)):
    """An image that does not compress to nothing, to cut in half or to make big."""
    image = Image.effect_noise(size, 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def run_threads(n, work, *, start_timeout=60, join_timeout=300):
    """Run work(i) in n real threads released at once, each on its own database connection.

    Returns the result or the exception of each thread, in thread order; fails
    if a thread hangs (a deadlock).
    """
    import threading

    from django.db import close_old_connections, connections

    barrier = threading.Barrier(n)
    results = [None] * n

    def target(i):
        try:
            barrier.wait(timeout=start_timeout)
            results[i] = work(i)
        except Exception as exc:  # collected; the test asserts on them
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=join_timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    close_old_connections()
    return results


# --- Staff sign-in ----------------------------------------------------------------

PASSWORD = "Anyaman-Pandan-2025"  # every account made by the make_staff fixture


def verify_session(client, user):
    """Mark the client's session as having confirmed a TOTP code (what django_otp.login stores)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows now (or ``steps_ahead`` periods later)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=device.digits):06d}"


def fresh_code_for(device):
    """A code the device still accepts: the current one, or the next period's when the current was used."""
    import time

    device.refresh_from_db()
    current = int((time.time() - device.t0) // device.step)
    return code_for(device, steps_ahead=1 if device.last_t >= current else 0)


def browser_second_step(page, username):
    """On the verification page after the password: type the code of the user's authenticator
    (every staff role confirms a TOTP code; the test reads the device's secret from the database)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_url(lambda url: "/masuk/" not in url)
    if "/akun/verifikasi/" not in page.url:
        return
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
    page.fill("#id_token", fresh_code_for(device))
    page.click("form.token-form button[type=submit]")
    page.wait_for_url(lambda url: "/akun/verifikasi/" not in url)


def browser_sign_in(page, live_server, username, password=PASSWORD):
    """Sign in through the console's login form in a Playwright page, second step included
    (an account without a TOTP device gets one first, as if enrolled earlier)."""
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user__username=username, confirmed=True).exists():
        user = User.objects.filter(username=username).first()
        if user is not None:
            TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    page.goto(live_server.url + "/petugas/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url)
    browser_second_step(page, username)


# --- Reading what pages and files say ------------------------------------------------


def response_bytes(response):
    """The body of a response, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(p if isinstance(p, bytes) else p.encode() for p in response.streaming_content)
    return response.content


def read_export(response):
    """A console list export (XLSX or CSV) read back as a list of rows, header first."""
    import csv

    import openpyxl

    assert response.status_code == 200, response.status_code
    data = response_bytes(response)
    disposition = response["Content-Disposition"]
    if disposition.endswith('.csv"'):
        text = data.decode("utf-8")
        assert text.startswith("\ufeff")
        return [row for row in csv.reader(io.StringIO(text[1:]))]
    assert disposition.endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0])
    return [row + [None] * (width - len(row)) for row in rows]  # empty trailing cells are not stored


def column(rows, name):
    """The values of the column headed ``name`` in rows read by ``read_export``."""
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def text_of(response):
    """The page's text without tags and with runs of whitespace squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_text(data: bytes, sep="\n") -> str:
    """The text of every page of a PDF, pages joined by ``sep``."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return sep.join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


# --- Payments ------------------------------------------------------------------------


def static_qris(name="GALERI KARYA", city="AMBON"):
    """A valid static QRIS payload (EMVCo TLV with its CRC), as a unit's merchant app gives it."""
    from galeri.payments.qris import _join_tlv, with_crc

    merchant = _join_tlv([("00", "ID.CO.QRIS.WWW"), ("01", "936000140000000001"), ("02", "ID1020000000001"), ("03", "UMI")])
    fields = [
        ("00", "01"),
        ("01", "11"),
        ("26", merchant),
        ("52", "5812"),
        ("53", "360"),
        ("58", "ID"),
        ("59", name[:25]),
        ("60", city[:15]),
        ("61", "97128"),
    ]
    return with_crc(_join_tlv(fields))


def latest_migrations():
    """Every app's last migration: where a migration test must leave the test database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate_to_latest():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
