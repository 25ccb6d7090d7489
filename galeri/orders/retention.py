"""The orders app's rule in the retention table (galeri/core/retention.py)."""

from django.utils.translation import gettext_lazy as _

from galeri.core.retention import Rule


def _apply(now, days):
    from galeri.orders.services import anonymise_due

    return anonymise_due(now=now, days=days)


def _apply_held_rates(now, days):
    from galeri.orders.services import delete_unused_rate_quotes

    return delete_unused_rate_quotes(now=now, days=days)


RULES = [
    Rule(
        key="orders.buyer",
        order=10,
        audience="buyer",
        data=_(
            "Pesanan daring: nama, nomor WhatsApp, email, alamat pengantaran, alamat IP pemesan, catatan, alasan batal, "
            "catatan riwayat pesanan, riwayat perjalanan paket dari kurir"
        ),
        purpose=_("Menyiapkan, menagih, menyerahkan atau mengantar pesanan, dan menjawab pertanyaan sesudahnya"),
        start=_("sejak pesanan selesai, dibatalkan, dikembalikan atau kedaluwarsa"),
        erasure=_(
            "Dihapus dari pesanan; barang, jumlah, pembayaran dan langkah riwayatnya tetap untuk pembukuan dan laporan PNBP"
        ),
        setting="ORDER_RETENTION_DAYS",
        default_days=365,
        apply=_apply,
    ),
    Rule(
        key="orders.held_rates",
        order=11,
        audience="buyer",
        data=_("Ongkir yang ditahan saat checkout: kelurahan/desa dan kode pos tujuan, berat paket"),
        purpose=_("Menahan harga ongkir yang Anda pilih selama batas waktu pembayaran"),
        start=_(
            "sejak batas waktu pembayaran lewat, bila tidak menjadi pesanan (ongkir sebuah pesanan dihapus bersama data pembeli pesanan itu)"
        ),
        erasure=_("Dihapus seluruhnya"),
        setting="RATE_QUOTE_RETENTION_DAYS",
        default_days=7,
        apply=_apply_held_rates,
    ),
]
