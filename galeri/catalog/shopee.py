"""A unit's products as a sheet for Shopee Seller Centre's mass upload ("Upload Massal", the basic
template, "Template Dasar"): the template's columns in its order, one row per product, data from the
sixth row as Shopee's guide says (rows 1–5 are the template's headers and notes).

What the gallery cannot know is mapped once per category in the console: Shopee's category id
(``Category.shopee_category_id``, on /petugas/produk/kategori/; a sub-category without one takes its
parent's). A product whose category is not mapped is still written, with the Kategori cell empty and
listed on the sheet "Perlu dilengkapi", so the unit fills it in Seller Centre.

Reference: Shopee Seller Education Hub, "Panduan fitur Mass Upload" (Produk Saya → Edit Secara Massal →
Mass Upload → Download Template → Template Dasar).
"""

import io

from django.utils.translation import gettext as _

from galeri.catalog.feeds import FeedResult
from galeri.catalog.imports.export import neutralise

MAX_PHOTOS = 8  # "Foto Produk 1" … "Foto Produk 8" besides the cover
COLUMNS = [
    "Kategori",
    "Nama Produk",
    "Deskripsi Produk",
    "SKU Induk",
    "Produk Berbahaya",
    "Kode Integrasi Variasi",
    "Nama Variasi 1",
    "Varian untuk Variasi 1",
    "Foto Produk per Varian",
    "Nama Variasi 2",
    "Varian untuk Variasi 2",
    "Harga",
    "Stok",
    "Kode Variasi",
    "Foto Sampul",
    *[f"Foto Produk {n}" for n in range(1, MAX_PHOTOS + 1)],
    "Berat",
    "Panjang",
    "Lebar",
    "Tinggi",
    "Dikirim Dalam Pre-order",
]
FIRST_DATA_ROW = 6
SHOPEE_NAME_MAX = 120  # Shopee's limit on a product name
SHOPEE_DESCRIPTION_MIN = 20  # Shopee refuses shorter descriptions
PREORDER_MIN, PREORDER_MAX = 7, 90  # Shopee ID: pre-order ships in 7–90 days


def _row(item):
    product = item.product
    photos = [item.image_link, *item.additional_image_links][: MAX_PHOTOS + 1]
    description = item.description
    if len(description) < SHOPEE_DESCRIPTION_MIN:
        description = f"{description}. {item.brand}."
    preorder = ""
    if product is not None and product.made_to_order and product.lead_time_days:
        preorder = min(PREORDER_MAX, max(PREORDER_MIN, product.lead_time_days))
    values = [
        item.shopee_category_id or "",
        item.title[:SHOPEE_NAME_MAX],
        description,
        item.id,
        "No",  # Produk Berbahaya: crafts, clothes, food and furniture are not dangerous goods
        "",
        "",
        "",
        "",
        "",
        "",
        item.price,
        item.quantity,
        item.id,
        photos[0],
        *photos[1:],
        *[""] * (MAX_PHOTOS - len(photos[1:])),
        item.weight_grams or "",
        getattr(product, "length_cm", None) or "",
        getattr(product, "width_cm", None) or "",
        getattr(product, "height_cm", None) or "",
        preorder,
    ]
    return [neutralise(v) for v in values]


def shopee_xlsx(result: FeedResult) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Template"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([_("Diisi oleh Galeri Karya dari katalog; salin baris mulai baris 6 ke templat Shopee Anda.")])
    sheet.append([_("Kategori: ID kategori Shopee (dipetakan per kategori di konsol).")])
    sheet.append([_("Berat dalam gram; panjang, lebar, tinggi dalam cm; harga dalam rupiah.")])
    sheet.append([_("Dikirim Dalam Pre-order: hari pengerjaan barang yang dibuat sesuai pesanan.")])
    missing = []
    for item in result.items:
        sheet.append(_row(item))
        if not item.shopee_category_id:
            missing.append(item)
    todo = workbook.create_sheet(_("Perlu dilengkapi"))
    todo.append([_("SKU"), _("Nama Produk"), _("Yang perlu dilengkapi")])
    for item in missing:
        todo.append([neutralise(item.id), neutralise(item.title), _("ID kategori Shopee belum dipetakan")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
