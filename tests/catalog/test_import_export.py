"""Bulk import (dry run, then all or nothing) and export of products, XLSX and CSV."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from galeri.catalog import imports
from galeri.catalog.models import (
    ImportStatus,
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductImport,
    ProductStatus,
)
from tests.helpers import image_bytes, text_of, upload

pytestmark = pytest.mark.django_db

IMPORT = "/petugas/produk/impor/"
EXPORT = "/petugas/produk/ekspor/"
HEADERS = [c.header for c in imports.COLUMNS]


def xlsx(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Produk"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row(sku="LPA-001", nama="Tas Anyaman Pandan", kategori="kerajinan", unit="LPA", harga=150000, **extra):
    values = {
        "sku": sku,
        "nama": nama,
        "kategori": kategori,
        "unit": unit,
        "harga": harga,
        "deskripsi singkat": "Tas anyaman daun pandan",
        "deskripsi": "",
        "cerita": "",
        "barcode": "",
        "dibuat sesuai pesanan": "tidak",
        "lama pengerjaan": "",
        "berat gram": 400,
        "panjang cm": 35,
        "lebar cm": 12,
        "tinggi cm": 30,
        "kedaluwarsa": "",
        "P-IRT": "",
        "halal": "",
        "tanggal panen": "",
        "satuan jual": "",
        "kredit bengkel": "Bengkel Anyaman Lapas Ambon",
    }
    values.update(extra)
    return [values[h] for h in HEADERS]


def upload_file(client, data, name="produk.xlsx"):
    return client.post(IMPORT, {"file": upload(data, name, "application/octet-stream")})


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


# --- Template -----------------------------------------------------------------------------------


def test_template_xlsx_has_indonesian_headers_and_the_users_choices(signed_in, staff, unit_tree, category):
    response = signed_in(staff.lapas_officer).get(IMPORT + "templat/?format=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Produk"][1]] == [
        "sku",
        "nama",
        "kategori",
        "unit",
        "harga",
        "deskripsi singkat",
        "deskripsi",
        "cerita",
        "barcode",
        "dibuat sesuai pesanan",
        "lama pengerjaan",
        "berat gram",
        "panjang cm",
        "lebar cm",
        "tinggi cm",
        "kedaluwarsa",
        "P-IRT",
        "halal",
        "tanggal panen",
        "satuan jual",
        "kredit bengkel",
    ]
    help_values = {c.value for r in workbook["Petunjuk"].iter_rows() for c in r}
    assert "kerajinan" in help_values and "LPA" in help_values
    assert "LPPA" not in help_values  # another unit's code is not offered


def test_template_csv(signed_in, staff, upt):
    response = signed_in(staff.lapas_officer).get(IMPORT + "templat/?format=csv")
    assert response.content.decode("utf-8-sig").strip() == ",".join(HEADERS)


# --- Dry run ------------------------------------------------------------------------------------


def test_dry_run_lists_every_bad_row_with_its_reason(staff, unit_tree, make_product, category, make_category):
    make_category("Kue Kering", kind="food", slug="kue-kering")
    make_product(unit=unit_tree.lpp, category=category, sku="LPP-001")
    make_product(unit=unit_tree.lpp, category=category, sku="LPP-002", barcode="8990002")
    data = xlsx(
        [
            row("OK-1"),  # 2: fine
            row("X-2", kategori="tidak-ada"),  # 3
            row("X-3", unit="LPPA"),  # 4: outside the officer's scope
            row("X-4", unit="ZZZ"),  # 5
            row("X-5", harga="dua ribu"),  # 6
            row("X-6", harga=0),  # 7
            row("X-7", harga=12500.5),  # 8
            row("OK-1"),  # 9: duplicate of row 2
            row("LPP-001"),  # 10: SKU of another unit
            row("X-10", kedaluwarsa="31/12/2026"),  # 11
            row("X-11", **{"dibuat sesuai pesanan": "mungkin"}),  # 12
            row("X-12", nama="x" * 500),  # 13
            row("X-13", kategori="kue-kering"),  # 14: food without expiry date
            row("X-14", barcode="8990002"),  # 15: barcode of another product
            row("X-15", nama=""),  # 16
            row("X-16", **{"berat gram": -3}),  # 17
        ]
    )
    report, plan = imports.check_import(data, staff.lapas_officer)
    found = {(r, col) for r, col, _m in errors_of(report)}
    assert found == {
        (3, "kategori"),
        (4, "unit"),
        (5, "unit"),
        (6, "harga"),
        (7, "harga"),
        (8, "harga"),
        (9, "sku"),
        (10, "sku"),
        (11, "kedaluwarsa"),
        (12, "dibuat sesuai pesanan"),
        (13, "nama"),
        (14, "kedaluwarsa"),
        (15, "barcode"),
        (16, "nama"),
        (17, "berat gram"),
    }, errors_of(report)
    messages = dict(((r, c), m) for r, c, m in errors_of(report))
    assert "di luar wewenang Anda" in messages[(4, "unit")]
    assert "tidak dikenal" in messages[(3, "kategori")]
    assert "sama dengan baris 2" in messages[(9, "sku")]
    assert "unit lain" in messages[(10, "sku")]
    assert "YYYY-MM-DD" in messages[(11, "kedaluwarsa")]
    assert not report.ok
    assert Product.objects.count() == 2  # nothing written


def test_control_characters_in_cells_are_refused(staff, upt, category):
    report, _plan = imports.check_import(csv_bytes([row("C-1", cerita="baris\x07rahasia\x1b[31m")]), staff.lapas_officer)
    assert errors_of(report) == [(2, "cerita", "berisi karakter kendali yang tidak diizinkan")]


def test_dry_run_page_shows_the_errors_and_keeps_nothing(signed_in, staff, upt, category):
    client = signed_in(staff.lapas_officer)
    response = upload_file(client, xlsx([row("A-1"), row("A-2", harga="abc")]))
    assert response.status_code == 200
    text = text_of(response)
    assert "1 baris bermasalah" in text and "harus angka rupiah" in text
    assert not ProductImport.objects.exists() and not Product.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("kosong.xlsx", b"", "Berkas kosong."),
        ("spasi.csv", b"   \n\n", "Berkas kosong."),
        ("foto.xlsx", image_bytes("PNG"), "bukan XLSX atau CSV"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Format Excel lama (.xls)"),
        ("dok.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\0" * 100, "bukan XLSX atau CSV"),
        ("rusak.xlsx", b"PK\x03\x04" + b"\x01" * 300, "rusak"),
        ("judul.csv", b"harga;nama\n1;2\n", "kolom wajib tidak ada: sku"),
        ("asing.csv", (b"sku,nama,kategori,unit,harga,warna\n"), "kolom tidak dikenal: warna"),
        ("ganda.csv", (b"sku,nama,kategori,unit,harga,nama\n"), "muncul dua kali"),
        ("kepala.csv", ",".join(HEADERS).encode() + b"\n", "tidak berisi baris produk"),
        ("kutip.csv", ",".join(HEADERS).encode() + b'\n"LPA-1,"tas\n', "CSV rusak"),
    ],
)
def test_files_that_are_not_a_product_sheet_get_a_clear_message(signed_in, staff, upt, category, name, data, message):
    response = upload_file(signed_in(staff.lapas_officer), data, name)
    assert response.status_code == 200
    assert message in text_of(response), text_of(response)[-1500:]
    assert not Product.objects.exists() and not ProductImport.objects.exists()


def test_a_zip_that_is_not_a_workbook(signed_in, staff, upt):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    response = upload_file(signed_in(staff.lapas_officer), out.getvalue(), "surat.xlsx")
    assert "bukan XLSX" in text_of(response)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(staff, upt):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"a" * (imports.MAX_UNZIPPED_BYTES + 10))
    report, _plan = imports.check_import(out.getvalue(), staff.lapas_officer)
    assert "terlalu besar" in report.errors[0].message


def test_huge_files_and_too_many_rows(signed_in, staff, upt, category):
    big = b"sku,nama\n" + b"a" * (imports.MAX_BYTES + 1)
    assert "terlalu besar" in text_of(upload_file(signed_in(staff.lapas_officer), big, "besar.csv"))
    many = csv_bytes([row(f"R-{i}") for i in range(imports.MAX_ROWS + 1)])
    report, _plan = imports.check_import(many, staff.lapas_officer)
    assert "Terlalu banyak baris" in report.errors[0].message


def test_csv_with_semicolons_in_windows_encoding(staff, upt, category):
    data = csv_bytes([row("C-1", nama="Kopi Rempah Pala Banda")], delimiter=";", encoding="cp1252")
    report, plan = imports.check_import(data, staff.lapas_officer)
    assert report.ok and report.creates == 1


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(
        st.one_of(st.text(max_size=60), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()),
        min_size=18,
        max_size=18,
    )
)
def test_fuzzed_cells_never_crash_the_check(staff, upt, category, cells):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    as_csv = csv_bytes([["" if c is None else c for c in cells]])
    as_xlsx = xlsx([[ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells]])
    for data in (as_csv, as_xlsx):
        try:
            report, _plan = imports.check_import(data, staff.lapas_officer)
        except Exception as exc:  # pragma: no cover - the point of the test
            pytest.fail(f"check_import raised {exc!r} for {cells!r}")
        assert report.ok or report.errors


# --- Import -------------------------------------------------------------------------------------


def test_upload_review_confirm_creates_drafts_once(signed_in, staff, upt, category):
    client = signed_in(staff.lapas_officer)
    data = xlsx([row("N-1", nama="Tas Anyaman"), row("N-2", nama="Dompet Tenun", barcode="8990099")])
    response = upload_file(client, data)
    assert response.status_code == 302
    record = ProductImport.objects.get()
    assert response["Location"] == f"{IMPORT}{record.pk}/"
    review = client.get(response["Location"])
    assert "semua baris dapat diimpor" in text_of(review)
    assert not Product.objects.exists()  # the dry run wrote nothing

    done = client.post(f"{IMPORT}{record.pk}/jalankan/")
    assert done.status_code == 302
    products = list(Product.objects.order_by("sku"))
    assert [(p.sku, p.status, p.unit, p.price) for p in products] == [
        ("N-1", ProductStatus.DRAFT, upt, 150_000),
        ("N-2", ProductStatus.DRAFT, upt, 150_000),
    ]
    assert products[1].barcode == "8990099" and products[0].barcode is None
    assert products[0].slug == "tas-anyaman" and products[0].search_title
    assert products[0].history.get().history_user == staff.lapas_officer
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTED and record.content in (b"", memoryview(b"")) and record.created_count == 2
    # Sent again (double click, back button): nothing doubles.
    again = client.post(f"{IMPORT}{record.pk}/jalankan/", follow=True)
    assert "sudah diimpor" in text_of(again)
    assert Product.objects.count() == 2


def test_search_finds_imported_products(signed_in, staff, upt, category):
    from galeri.catalog import search, services

    imports.run_import(xlsx([row("S-1", nama="Anyaman Sagu Halus")]), staff.lapas_officer)
    product = Product.objects.get(sku="S-1")
    services.submit_product(product, user=staff.lapas_officer)
    services.approve_product(product, user=staff.lapas_admin)
    assert product.pk in search.search_ids("anyaman sagu")


def test_another_user_cannot_see_or_confirm_my_import(signed_in, staff, upt, category, make_staff):
    client = signed_in(staff.lapas_officer)
    upload_file(client, xlsx([row("P-1")]))
    record = ProductImport.objects.get()
    other = signed_in(staff.lapas_admin)
    assert other.get(f"{IMPORT}{record.pk}/").status_code == 404
    assert other.post(f"{IMPORT}{record.pk}/jalankan/").status_code == 404
    assert client.get(f"{IMPORT}{uuid_like()}/").status_code == 404
    assert not Product.objects.exists()


def uuid_like():
    import uuid

    return uuid.uuid4()


def test_updates_existing_products_and_prices_go_through_approval(staff, upt, make_product, category, client):
    draft = make_product(unit=upt, category=category, sku="U-1", name="Lama", price=10_000, status=ProductStatus.DRAFT)
    published = make_product(unit=upt, category=category, sku="U-2", name="Terbit", price=20_000)
    same = make_product(
        unit=upt,
        category=category,
        sku="U-3",
        name="Sama",
        price=30_000,
        status=ProductStatus.DRAFT,
        short_description="Tas anyaman daun pandan",
        weight_grams=400,
        length_cm=35,
        width_cm=12,
        height_cm=30,
        workshop_credit="Bengkel Anyaman Lapas Ambon",
    )
    data = xlsx(
        [
            row("u-1", nama="Baru", harga=12_000),  # case-insensitive SKU match: an update
            row("U-2", nama="Terbit", harga=25_000),
            row("U-3", nama="Sama", harga=30_000),
            row("U-4", nama="Benar-benar baru"),
        ]
    )
    report, _plan = imports.check_import(data, staff.lapas_officer)
    assert (report.creates, report.updates, report.unchanged, report.price_requests) == (1, 2, 1, 1)
    imports.run_import(data, staff.lapas_officer, file_name="harga.xlsx")
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.name, draft.price, draft.sku) == ("Baru", 12_000, "U-1")
    assert published.price == 20_000  # still the public price
    pending = PriceChange.objects.get(product=published)
    assert (pending.status, pending.new_price, pending.requested_by) == (PriceChangeStatus.PENDING, 25_000, staff.lapas_officer)
    assert PriceChange.objects.get(product=draft).status == PriceChangeStatus.DIRECT
    assert "Rp 20.000" in text_of(client.get(published.get_absolute_url()))
    record = draft.history.latest()
    assert record.history_user == staff.lapas_officer and "harga.xlsx" in record.history_change_reason
    assert same.history.count() == 1  # unchanged rows write nothing
    # Importing the same new price again does not stack requests.
    imports.run_import(data, staff.lapas_officer)
    assert PriceChange.objects.filter(product=published, status=PriceChangeStatus.PENDING).count() == 1


def test_import_is_all_or_nothing(staff, upt, category):
    rows = [row(f"A-{i}") for i in range(50)] + [row("A-bad", harga="seribu")]
    with pytest.raises(imports.ImportRejected) as info:
        imports.run_import(xlsx(rows), staff.lapas_officer)
    assert [e.row for e in info.value.report.errors] == [52]
    assert not Product.objects.exists() and not PriceChange.objects.exists()


def test_a_failure_while_writing_rolls_everything_back(staff, upt, make_product, category, monkeypatch):
    import simple_history.utils as history_utils

    draft = make_product(unit=upt, category=category, sku="W-1", price=10_000, status=ProductStatus.DRAFT)
    real = history_utils.bulk_create_with_history

    def failing(objs, model, *args, **kwargs):
        if model is PriceChange:
            raise RuntimeError("disk full")
        return real(objs, model, *args, **kwargs)

    monkeypatch.setattr(history_utils, "bulk_create_with_history", failing)
    with pytest.raises(RuntimeError):
        imports.run_import(xlsx([row("W-1", harga=11_000), row("W-2")]), staff.lapas_officer)
    draft.refresh_from_db()
    assert draft.price == 10_000
    assert list(Product.objects.values_list("sku", flat=True)) == ["W-1"]


def test_data_changed_between_dry_run_and_confirm(signed_in, staff, unit_tree, make_product, category):
    client = signed_in(staff.lapas_officer)
    upload_file(client, xlsx([row("R-1"), row("R-2")]))
    record = ProductImport.objects.get()
    make_product(unit=unit_tree.lpp, category=category, sku="R-2")  # someone else takes the SKU meanwhile
    response = client.post(f"{IMPORT}{record.pk}/jalankan/")
    assert response.status_code == 200
    assert "unit lain" in text_of(response)
    assert not Product.objects.filter(sku="R-1").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED


def test_food_and_produce_columns(staff, upt, category, make_category):
    make_category("Kue Kering", kind="food", slug="kue-kering")
    make_category("Sayur", kind="produce", slug="sayur")
    data = xlsx(
        [
            row(
                "F-1",
                kategori="kue-kering",
                kedaluwarsa=datetime.date(2099, 1, 31),
                **{"P-IRT": "2068101010123-27", "halal": "ID00410000123"},
            ),
            row("F-2", kategori="sayur", **{"tanggal panen": "2024-05-01", "satuan jual": "ikat"}),
            row("F-3", **{"dibuat sesuai pesanan": "ya", "lama pengerjaan": 14}),
        ]
    )
    imports.run_import(data, staff.lapas_officer)
    food, veg, made = (Product.objects.get(sku=s) for s in ("F-1", "F-2", "F-3"))
    assert (food.expiry_date, food.pirt_number, food.halal_number) == (
        datetime.date(2099, 1, 31),
        "2068101010123-27",
        "ID00410000123",
    )
    assert (veg.harvest_date, veg.sale_unit) == (datetime.date(2024, 5, 1), "ikat")
    assert (made.made_to_order, made.lead_time_days) == (True, 14)


# --- Export -------------------------------------------------------------------------------------


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:], sheet


def test_export_respects_scope_and_filters(signed_in, staff, unit_tree, make_product, category):
    make_product(unit=unit_tree.lapas, category=category, sku="E-1", status=ProductStatus.DRAFT)
    make_product(unit=unit_tree.lapas, category=category, sku="E-2")
    make_product(unit=unit_tree.lpp, category=category, sku="E-3")
    officer = signed_in(staff.lapas_officer)
    header, rows, _sheet = read_xlsx(officer.get(EXPORT, {"format": "xlsx"}).content)
    assert header[:5] == ("sku", "nama", "kategori", "unit", "harga")
    assert sorted(r[0] for r in rows) == ["E-1", "E-2"]
    _h, rows, _s = read_xlsx(officer.get(EXPORT, {"format": "xlsx", "status": "draft"}).content)
    assert [r[0] for r in rows] == ["E-1"]
    # Someone else's unit in the query string is ignored, not obeyed.
    _h, rows, _s = read_xlsx(officer.get(EXPORT, {"format": "xlsx", "unit": unit_tree.lpp.pk}).content)
    assert sorted(r[0] for r in rows) == ["E-1", "E-2"]
    csv_rows = list(csv.reader(io.StringIO(officer.get(EXPORT, {"format": "csv", "q": "E-2"}).getvalue().decode("utf-8-sig"))))
    assert [r[0] for r in csv_rows[1:]] == ["E-2"]
    _h, rows, _s = read_xlsx(signed_in(staff.regional).get(EXPORT, {"format": "xlsx"}).content)
    assert sorted(r[0] for r in rows) == ["E-1", "E-2", "E-3"]


def test_export_neutralises_formulas(signed_in, staff, upt, make_product, category):
    make_product(
        unit=upt,
        category=category,
        sku="=1+1",
        name='=HYPERLINK("http://x.test","klik")',
        short_description="+62 812",
        story="@SUM(A1)",
        workshop_credit="-bengkel",
    )
    client = signed_in(staff.lapas_officer)
    header, rows, sheet = read_xlsx(client.get(EXPORT, {"format": "xlsx"}).content)
    values = dict(zip(header, rows[0]))
    assert values["sku"] == "'=1+1"
    assert values["nama"] == """'=HYPERLINK("http://x.test","klik")"""
    assert values["deskripsi singkat"] == "'+62 812"
    assert values["cerita"] == "'@SUM(A1)" and values["kredit bengkel"] == "'-bengkel"
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)
    text = client.get(EXPORT, {"format": "csv"}).getvalue().decode("utf-8-sig")
    data = list(csv.reader(io.StringIO(text)))[1]
    assert data[0] == "'=1+1" and data[1].startswith("'=HYPERLINK")


def test_an_export_imports_back_unchanged(signed_in, staff, upt, make_product, make_category, category):
    food = make_category("Kue", kind="food", slug="kue")
    make_product(
        unit=upt, category=category, sku="=R-1", name="Tas", barcode="0089912345678", made_to_order=True, lead_time_days=7
    )
    make_product(unit=upt, category=food, sku="R-2", name="Kue Sagu", expiry_date=datetime.date(2099, 3, 1))
    client = signed_in(staff.lapas_officer)
    for fmt in ("xlsx", "csv"):
        response = client.get(EXPORT, {"format": fmt})
        content = response.content if fmt == "xlsx" else response.getvalue()
        report, _plan = imports.check_import(content, staff.lapas_officer)
        assert report.ok, errors_of(report)
        assert (report.rows, report.unchanged, report.creates, report.updates) == (2, 2, 0, 0), fmt


def test_import_pages_are_valid_html(signed_in, staff, upt, category):
    import html5lib

    client = signed_in(staff.lapas_officer)
    pages = [client.get(IMPORT), upload_file(client, xlsx([row("V-1", harga="x")]))]
    upload_file(client, xlsx([row("V-1")]))
    pages.append(client.get(f"{IMPORT}{ProductImport.objects.get().pk}/"))
    for response in pages:
        assert response.status_code == 200
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
