"""Staff documents of production: the monthly premi statement and the skills record
("riwayat pelatihan dan keterampilan"). Drawn with the shared ``galeri.core.pdf`` helpers.

Only code and initials name the participant, unless staff type a full name into
the skills record form for that one document (never stored, never read from
the restricted fields).
"""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from galeri.core import clock
from galeri.core.dates import MONTHS_ID, format_date_id, format_wit
from galeri.core.money import format_rupiah
from galeri.core.pdf import document_pdf, para, table

WIDTH = 174 * mm


def _hours(value):
    value = float(value or 0)
    return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _month(period):
    return f"{MONTHS_ID[period.month - 1]} {period.year}"


def premi_statement_pdf(statement, compress=True) -> bytes:
    participant = statement.participant
    story = [
        para("Rekening premi peserta", "title"),
        para(f"{participant.code} ({participant.initials}) · {_month(statement.period)}", "number"),
        Spacer(1, 4 * mm),
        para(f"Saldo awal: {format_rupiah(statement.opening)}"),
    ]
    rows = []
    for entry in statement.entries:
        if entry.kind == "payout" and entry.payout_id:
            what = f"Dibayarkan ({entry.payout.get_method_display()}) {entry.payout.reference}".strip()
        elif entry.allocation_id:
            what = f"{entry.get_kind_display()} · {entry.note}"
            if entry.absorbed:
                what += f" (ditanggung unit {format_rupiah(entry.absorbed)})"
        else:
            what = entry.get_kind_display()
        rows.append([format_date_id(entry.booked_at), what, format_rupiah(entry.amount), format_rupiah(entry.running)])
    if rows:
        story.append(
            table(["Tanggal", "Keterangan", "Jumlah", "Saldo"], rows, [28 * mm, 90 * mm, 28 * mm, 28 * mm], right_columns=(2, 3))
        )
    else:
        story.append(para("Tidak ada mutasi bulan ini."))
    story += [
        Spacer(1, 4 * mm),
        table(
            ["Ringkasan", "Jumlah"],
            [
                ["Premi dari penjualan", format_rupiah(statement.accrued)],
                ["Retur", format_rupiah(statement.reversed)],
                ["Dibayarkan", format_rupiah(-statement.paid)],
                ["Saldo akhir", format_rupiah(statement.closing)],
            ],
            [120 * mm, 54 * mm],
            right_columns=(1,),
            bold_last_row=True,
        ),
        Spacer(1, 6 * mm),
        para(f"Dicetak {format_wit(clock.now())}. Premi dicatat dan disimpan oleh UPT (PP 32/1999 pasal 29).", "small"),
    ]
    return document_pdf(
        participant.unit,
        "Rekening premi",
        story,
        number=f"{participant.code} {statement.period:%Y-%m}",
        footer="Dokumen petugas. Berisi kode dan inisial peserta saja.",
        compress=compress,
    )


def skills_record_pdf(participant, summary, *, full_name="", compress=True) -> bytes:
    story = [para("Riwayat pelatihan dan keterampilan", "title")]
    who = f"{participant.code} ({participant.initials})"
    story.append(para(f"{full_name} · {who}" if full_name else who, "number"))
    story.append(Spacer(1, 4 * mm))
    if participant.workshop_id:
        story.append(para(f"Bengkel utama: {participant.workshop.name}"))
    if participant.entry_date:
        story.append(para(f"Mengikuti pembinaan kemandirian sejak {format_date_id(participant.entry_date)}"))
    story.append(para("Jam per keterampilan", "heading"))
    if summary["skills"]:
        story.append(
            table(
                ["Keterampilan", "Jam pelatihan", "Jam kerja produksi"],
                [[s["skill"], _hours(s["training_hours"]), _hours(s["work_hours"])] for s in summary["skills"]],
                [84 * mm, 45 * mm, 45 * mm],
                right_columns=(1, 2),
            )
        )
    else:
        story.append(para("Belum ada catatan."))
    story.append(para("Sertifikat", "heading"))
    if summary["certificates"]:
        story.append(
            table(
                ["Penerbit", "Kompetensi", "Nomor", "Tanggal"],
                [
                    [f"{c.get_issuer_kind_display()} {c.issuer_name}".strip(), c.title, c.number, format_date_id(c.issued_on)]
                    for c in summary["certificates"]
                ],
                [36 * mm, 64 * mm, 42 * mm, 32 * mm],
            )
        )
    else:
        story.append(para("Belum ada sertifikat."))
    story.append(para("Yang pernah dibuat", "heading"))
    if summary["made"]:
        story.append(
            table(
                ["Jenis produk", "Batch", "Barang lulus QC"],
                [[m["batch__product__category__name"], str(m["batches"]), str(m["pieces"] or 0)] for m in summary["made"]],
                [104 * mm, 30 * mm, 40 * mm],
                right_columns=(1, 2),
            )
        )
    else:
        story.append(para("Belum ada."))
    story += [Spacer(1, 6 * mm), para(f"Dicetak {format_wit(clock.now())}.", "small")]
    return document_pdf(
        participant.unit,
        "Riwayat pelatihan dan keterampilan",
        story,
        number=participant.code,
        footer="Untuk keperluan kerja atau usaha setelah bebas. Dokumen petugas.",
        compress=compress,
    )
