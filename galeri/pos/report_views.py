"""The cashier's reports (``pos.report``): the daily report per till, unit and cashier (print,
XLSX) and the sales list with its filters (XLSX, CSV)."""

from django.shortcuts import render

from galeri.core import clock
from galeri.core.dates import parse_day, to_wit
from galeri.core.exports import XLSX_TYPE, neutralise, stamp, table_response
from galeri.pos.models import SaleStatus
from galeri.units.scoping import allowed_units, can, console_view, scope

from . import selectors
from .models import Sale, Till
from .views import _int

# --- Reports (pos.report) ---------------------------------------------------------------------------


def _day(text, default=None):

    try:
        return parse_day(text or "")
    except ValueError:
        return default


@console_view("pos.report")
def report(request):

    today = to_wit(clock.now()).date()
    day = _day(request.GET.get("hari"), today)
    units = allowed_units(request.user, "pos.report")
    unit_pk = _int(request.GET.get("unit"))
    if unit_pk:
        units = units.filter(pk=unit_pk)
    tills = scope(Till.objects.all(), request.user, "pos.report").select_related("unit").order_by("unit__short_name", "name")
    till = tills.filter(pk=_int(request.GET.get("kasir")) or 0).first() if request.GET.get("kasir") else None
    figures = selectors.daily_report(units, day, till)
    if request.GET.get("format") == "xlsx":
        return _report_xlsx(figures)
    return render(
        request,
        "pos/report.html",
        {
            "figures": figures,
            "day": day,
            "units": allowed_units(request.user, "pos.report").order_by("short_name"),
            "tills": tills,
            "till": till,
            "unit_pk": unit_pk,
            "query": request.GET.urlencode(),
            "can_refund": can(request.user, "pos.refund", None),
        },
    )


REPORT_COLUMNS = [
    ("sales", "Transaksi"),
    ("voided", "Dibatalkan"),
    ("items", "Barang"),
    ("subtotal", "Penjualan kotor"),
    ("discount", "Potongan"),
    ("total", "Penjualan"),
    ("other", "Pembayaran lain"),
    ("refunds", "Retur"),
    ("net_cash", "Tunai bersih"),
    ("net_qris", "QRIS bersih"),
    ("net_transfer", "Transfer bersih"),
    ("net", "Bersih"),
]


def _report_xlsx(figures):
    import tempfile

    from django.http import FileResponse
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Per kasir"
    sheet.append(["Tanggal", "Unit", "Kasir"] + [label for _k, label in REPORT_COLUMNS])
    for row in figures["tills"]:
        sheet.append(
            [figures["day"], neutralise(row["unit"].short_name), neutralise(row["till"].name)]
            + [row[k] for k, _l in REPORT_COLUMNS]
        )
    for row in figures["units"]:
        sheet.append([figures["day"], neutralise(row["unit"].short_name), "Jumlah unit"] + [row[k] for k, _l in REPORT_COLUMNS])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    people = book.create_sheet("Per petugas")
    people.append(["Tanggal", "Petugas", "Pengguna", "Transaksi", "Potongan", "Penjualan"])
    for row in figures["cashiers"]:
        people.append(
            [figures["day"], neutralise(row["name"]), neutralise(row["username"]), row["sales"], row["discount"], row["total"]]
        )
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"laporan-kasir-{figures['day']:%Y%m%d}.xlsx", content_type=XLSX_TYPE)


@console_view("pos.report")
def sales(request):
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator

    tills = scope(Till.objects.all(), request.user, "pos.report").select_related("unit").order_by("unit__short_name", "name")
    till = tills.filter(pk=_int(request.GET.get("kasir")) or 0).first() if request.GET.get("kasir") else None
    cashiers = (
        get_user_model()
        .objects.filter(pk__in=scope(Sale.objects.all(), request.user, "pos.report").values("cashier"))
        .order_by("username")
    )
    cashier = cashiers.filter(pk=_int(request.GET.get("petugas")) or 0).first() if request.GET.get("petugas") else None
    status = request.GET.get("status") if request.GET.get("status") in SaleStatus.values else ""
    start, end = _day(request.GET.get("dari")), _day(request.GET.get("sampai"))
    bad_dates = bool(request.GET.get("dari") and start is None) or bool(request.GET.get("sampai") and end is None)
    rows = selectors.sales_list(request.user, start=start, end=end, till=till, cashier=cashier, status=status)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        headers = ["Struk", "Waktu", "Unit", "Kasir", "Petugas", "Status", "Subtotal", "Potongan", "Total", "Kembalian"]
        data = (
            [
                s.receipt_code,
                s.created_at,
                s.unit.short_name,
                s.session.till.name,
                s.cashier.get_full_name() or s.cashier.username,
                s.get_status_display(),
                s.subtotal,
                s.discount,
                s.total,
                s.change_given,
            ]
            for s in rows.iterator(chunk_size=500)
        )
        return table_response(fmt, filename=f"penjualan-kasir-{stamp()}", headers=headers, rows=data, sheet_title="Penjualan")
    page = Paginator(rows, 50).get_page(request.GET.get("hal"))
    params = request.GET.copy()
    params.pop("hal", None)
    params.pop("format", None)
    return render(
        request,
        "pos/sales.html",
        {
            "page": page,
            "tills": tills,
            "till": till,
            "cashiers": cashiers,
            "cashier": cashier,
            "status": status,
            "statuses": SaleStatus.choices,
            "start": start,
            "end": end,
            "query": params.urlencode(),
            "bad_dates": bad_dates,
        },
    )
