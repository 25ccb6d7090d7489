"""Proofs of payment: photos re-encoded without metadata, PDFs kept, everything else refused; private storage."""

import io

import pytest
from django.http import Http404
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from galeri.payments import proofs, services
from galeri.payments.models import proof_storage
from galeri.payments.services import PaymentError
from tests.helpers import XMP, gps_exif, image_bytes, response_bytes, upload

pytestmark = pytest.mark.django_db


def make_pdf(pages=1, *, build=None) -> bytes:
    """A real PDF as a bank app would export it (pypdf), optionally with something added."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Maria Latuconsina", "/Title": "Mutasi rekening"})
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = make_pdf()


def read_proof(payment):
    with proof_storage().open(payment.proof.name, "rb") as f:
        return f.read()


def test_a_photo_is_re_encoded_without_metadata_into_private_storage(
    make_payment, proof_root, proof_files, media_root, list_media_files
):
    payment = make_payment(150_000, "transfer")
    jpeg = image_bytes("JPEG", size=(900, 1600), exif=gps_exif(), xmp=XMP)
    result = proofs.attach_proof(payment, upload(jpeg, "bukti transfer.jpg"))
    assert result is payment
    payment.refresh_from_db()
    assert payment.proof_content_type == "image/webp" and payment.proof_uploaded_at is not None
    assert payment.proof.name.startswith("bukti-bayar/") and payment.proof.name.endswith(".webp")
    assert "bukti transfer" not in payment.proof.name  # random name, not the buyer's
    assert proof_files() == [payment.proof.name]
    assert list_media_files() == []  # nothing under the public media folder
    stored = read_proof(payment)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "WEBP"
    assert not image.getexif() and "xmp" not in image.info and b"Ambon" not in stored and b"GPS" not in stored


def test_a_pdf_is_rewritten_with_its_pages_only(make_payment, proof_files):
    payment = make_payment(150_000, "transfer")
    proofs.attach_proof(payment, upload(make_pdf(2), "mutasi.pdf", "application/pdf"))
    assert payment.proof_content_type == "application/pdf"
    assert payment.proof.name.endswith(".pdf")
    stored = PdfReader(io.BytesIO(read_proof(payment)))
    assert len(stored.pages) == 2
    assert b"Latuconsina" not in read_proof(payment)  # the document's metadata is not copied


def _javascript(writer):
    writer.add_js("app.alert('halo');")


def _attachment(writer):
    writer.add_attachment("tagihan.exe", b"MZ not really a program")


def _password(writer):
    writer.encrypt("rahasia")


def _open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


@pytest.mark.parametrize(
    "build, words",
    [
        (_javascript, "skrip"),
        (_attachment, "lampiran"),
        (_open_action, "skrip"),
        (_password, "kata sandi"),
    ],
)
def test_a_pdf_with_a_script_a_file_inside_an_action_or_a_password_is_refused(make_payment, proof_files, build, words):
    payment = make_payment(150_000, "transfer")
    with pytest.raises(PaymentError) as caught:
        proofs.attach_proof(payment, upload(make_pdf(build=build), "mutasi.pdf", "application/pdf"))
    assert caught.value.code == "bad_pdf" and words in caught.value.messages[0]
    payment.refresh_from_db()
    assert not payment.has_proof and proof_files() == []


def test_a_pdf_of_more_than_ten_pages_is_refused(make_payment, proof_files):
    payment = make_payment(150_000, "transfer")
    with pytest.raises(PaymentError) as caught:
        proofs.attach_proof(payment, upload(make_pdf(11), "mutasi.pdf", "application/pdf"))
    assert caught.value.messages == ["PDF bukti bayar paling banyak 10 halaman."]
    assert proof_files() == []


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(PDF) - 1), junk=st.binary(max_size=64))
def test_a_mangled_pdf_is_refused_with_a_message_never_a_crash(make_payment, cut, junk):
    data = PDF[:cut] + junk + PDF[cut + len(junk) :]
    try:
        proofs.clean_pdf(data)
    except PaymentError as refused:
        assert refused.code == "bad_pdf"


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"hello, ini bukan bukti", "bukti.txt", "bad_type"),
        (b"<html><script>alert(1)</script></html>", "bukti.html", "bad_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "bukti.svg", "bad_type"),
        (b"PK\x03\x04 zip", "bukti.docx", "bad_type"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "rusak.png", "bad_image"),
        (PDF[:-7], "terpotong.pdf", "bad_pdf"),
        (b"", "kosong.jpg", "empty"),
    ],
)
def test_anything_else_is_refused_and_nothing_is_saved(make_payment, proof_files, data, name, code):
    payment = make_payment(150_000, "transfer")
    with pytest.raises(PaymentError) as caught:
        proofs.attach_proof(payment, upload(data, name, "application/octet-stream"))
    assert caught.value.code == code
    assert caught.value.messages[0][0].isupper()  # a sentence for the buyer
    payment.refresh_from_db()
    assert not payment.has_proof and payment.proof_content_type == ""
    assert proof_files() == []


def test_the_wrong_kind_message_says_what_is_accepted(make_payment):
    payment = make_payment()
    with pytest.raises(PaymentError) as caught:
        proofs.attach_proof(payment, upload(b"bukan gambar", "a.txt"))
    assert caught.value.messages == ["Bukti bayar harus berupa foto atau tangkapan layar (JPEG, PNG, WebP) atau PDF."]


def test_size_is_bounded_by_the_setting(make_payment, settings, proof_files):
    settings.PROOF_MAX_BYTES = 1024
    payment = make_payment()
    big_pdf = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
    with pytest.raises(PaymentError) as caught:
        proofs.attach_proof(payment, upload(big_pdf, "besar.pdf"))
    assert caught.value.code == "too_big"
    assert "paling besar" in caught.value.messages[0]
    # An upload that lies about its size is still read only up to the limit.
    liar = upload(big_pdf, "besar.pdf")
    liar.size = 10
    with pytest.raises(PaymentError):
        proofs.attach_proof(payment, liar)
    assert proof_files() == []


def test_default_limit_is_five_megabytes(settings):
    if hasattr(settings, "PROOF_MAX_BYTES"):
        del settings.PROOF_MAX_BYTES
    assert proofs.proof_max_bytes() == 5 * 1024 * 1024


def test_a_new_proof_replaces_the_old_one(make_payment, proof_files, django_capture_on_commit_callbacks):
    payment = make_payment()
    proofs.attach_proof(payment, upload(image_bytes("PNG"), "a.png"))
    first = payment.proof.name
    with django_capture_on_commit_callbacks(execute=True):
        proofs.attach_proof(payment, upload(PDF, "b.pdf"))
    assert payment.proof.name != first
    assert proof_files() == [payment.proof.name]


def test_no_proof_once_the_payment_is_decided(make_payment, staff, proof_files):
    payment = make_payment()
    services.confirm_payment(payment, staff.lapas_cashier, 150_000)
    with pytest.raises(PaymentError) as caught:
        proofs.attach_proof(payment, upload(PDF, "b.pdf"))
    assert caught.value.code == "not_pending"
    assert proof_files() == []


def test_proofs_have_no_public_url(make_payment):
    payment = make_payment()
    proofs.attach_proof(payment, upload(PDF, "b.pdf"))
    with pytest.raises(ValueError):
        payment.proof.url


# --- Sending a proof ------------------------------------------------------------------------------


def test_a_photo_is_sent_inline_as_webp_never_cached(make_payment):
    payment = make_payment(reference="LPA-2611-0042")
    proofs.attach_proof(payment, upload(image_bytes("PNG"), "a.png"))
    response = proofs.proof_response(payment)
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"] == 'inline; filename="bukti-bayar-LPA-2611-0042.webp"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response_bytes(response) == read_proof(payment)


def test_a_pdf_is_sent_as_a_download(make_payment):
    payment = make_payment(reference='LPA/"1";<x>')
    proofs.attach_proof(payment, upload(PDF, "b.pdf"))
    response = proofs.proof_response(payment)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bukti-bayar-LPA-1-x.pdf"'
    assert response_bytes(response) == read_proof(payment) and read_proof(payment).startswith(b"%PDF-")


def test_no_proof_is_a_404(make_payment, proof_root):
    payment = make_payment()
    with pytest.raises(Http404):
        proofs.proof_response(payment)
    proofs.attach_proof(payment, upload(PDF, "b.pdf"))
    (proof_root / payment.proof.name).unlink()  # the file went missing on disk
    with pytest.raises(Http404):
        proofs.proof_response(payment)


def test_proofs_live_beside_media_by_default(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    if hasattr(settings, "PAYMENT_PROOF_ROOT"):
        del settings.PAYMENT_PROOF_ROOT
    assert proof_storage().location == str(tmp_path / "private")
