"""The shared PDF helper: an A4 invoice with the unit's letterhead, text drawn literally, never a crash."""

import datetime
import re
import shutil
import subprocess

import pytest

from galeri.core.pdf import invoice_pdf, printable, render_invoice

ISSUED = datetime.datetime(2026, 11, 28, 5, 5, tzinfo=datetime.UTC)  # 14.05 WIT


def pdf_text(data: bytes) -> str:
    """The text drawn in an uncompressed PDF: the (…) Tj strings of each text line, joined.

    Good enough for ReportLab's own output with the built-in fonts (WinAnsi).
    """
    lines = []
    for line in data.split(b"\n"):
        strings = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", line)
        if strings:
            raw = b"".join(strings)
            raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
            raw = re.sub(rb"\\(.)", rb"\1", raw)
            lines.append(raw.decode("cp1252"))
    return "\n".join(lines)


def make_invoice(unit, **overrides):
    args = dict(
        unit=unit,
        title="Faktur Penjualan",
        number="LPA-2611-0042",
        issued_at=ISSUED,
        buyer_lines=["Ibu “Maria” Latuconsina — Ambon", "+62 812-3456-7890", "<script>alert('x')</script> & <b>tebal</b>"],
        lines=[("Tas Anyaman Pandan “Salawaku”", 2, 150_000, 300_000), ("Kue Bagea (kemasan 250 g)", 3, 25_000, 75_000)],
        totals=[("Jumlah", 375_000), ("Ongkos kirim", 20_000), ("Total", 395_000)],
        payment_lines=["QRIS — diterima 28 November 2026 14.20 WIT", "RRN 612345678901"],
        footer="Terima kasih telah membeli Karya Warga Binaan. Barang yang sudah dibeli dapat ditukar dalam 3 hari.",
        compress=False,
    )
    args.update(overrides)
    return invoice_pdf(**args)


@pytest.mark.django_db
def test_an_invoice_is_a_pdf_with_everything_on_it(unit_tree):
    lapas = unit_tree.lapas
    lapas.address = "Jl. Kayu Putih, Kel. Kayu Putih"
    lapas.email = "lapasambon@kemenimipas.go.id"
    data = make_invoice(lapas)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    for expected in (
        "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN MALUKU",
        "LEMBAGA PEMASYARAKATAN KELAS IIA AMBON",
        "Jl. Kayu Putih, Kel. Kayu Putih, Ambon",
        "Telp. (0911) 352612",
        "lapasambon@kemenimipas.go.id",
        "Faktur Penjualan",
        "Nomor: LPA-2611-0042",
        "Tanggal: 28 November 2026 14.05 WIT",
        "Ibu “Maria” Latuconsina — Ambon",
        "<script>alert('x')</script> & <b>tebal</b>",  # drawn as written, not taken as markup
        "Tas Anyaman Pandan “Salawaku”",
        "Rp 150.000",
        "Rp 300.000",
        "Rp 395.000",
        "RRN 612345678901",
        "Terima kasih telah membeli Karya Warga Binaan.",
        "Halaman 1",
    ):
        assert expected in text, expected


def test_a_compressed_invoice_is_smaller_and_still_a_pdf():
    unit = None
    compressed = make_invoice(unit, compress=True)
    plain = make_invoice(unit, compress=False)
    assert compressed.startswith(b"%PDF-") and len(compressed) < len(plain)
    assert "GALERI KARYA" in pdf_text(plain)  # no unit: the gallery's name heads the page


def test_text_outside_the_font_never_crashes():
    data = make_invoice(
        None,
        title="Faktur 😀 日本 ṣ",
        buyer_lines=["\x00\x07Nama\tdengan\r\nbaris baru", ""],
        lines=[("Produk 🧺", "2 kg", 15_000, 30_000)],
        payment_lines=[],
        footer="",
    )
    text = pdf_text(data)
    assert "Faktur ? ?? ?" in text
    assert "Nama dengan" in text and "baris baru" in text
    assert "2 kg" in text


def test_many_lines_flow_over_pages_with_the_header_repeated():
    lines = [(f"Produk {i}", 1, 10_000, 10_000) for i in range(1, 121)]
    text = pdf_text(make_invoice(None, lines=lines, totals=[("Total", 1_200_000)]))
    assert "Halaman 3" in text
    assert text.count("Harga satuan") >= 3
    assert "Produk 120" in text and "Rp 1.200.000" in text


def test_the_orders_name_is_the_same_function():
    assert render_invoice is invoice_pdf


def test_printable():
    assert printable("“a” — b é") == "“a” — b é"
    assert printable(None) == ""
    assert printable("x\x00y\u200bz") == "xy?z"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_poppler_reads_the_text_too(tmp_path):
    path = tmp_path / "faktur.pdf"
    path.write_bytes(make_invoice(None, compress=True))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tanggal: 28 November 2026 14.05 WIT" in text
    assert "<script>alert('x')</script> & <b>tebal</b>" in text
    assert "Rp 395.000" in text
