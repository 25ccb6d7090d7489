"""Load the demo data: the unit tree, the categories, ~70 curated products with
example photos, their stock through the ledger, and the demo staff logins.
Optionally many synthetic products.

It lives in the console app, at the top of the import order, because it puts
together the demo data of every app below it.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from galeri.bookings.demo import seed_demo_services
from galeri.catalog.demo import loader
from galeri.catalog.models import CategoryKind, Product
from galeri.core.environment import is_production
from galeri.custom_orders.demo import seed_demo_custom_orders
from galeri.events.demo import seed_demo_events
from galeri.inventory.demo import seed_demo_stock
from galeri.inventory.models import StockMovement
from galeri.news.demo import seed_demo_news
from galeri.notifications.channels import SIMULATED, whatsapp_provider
from galeri.orders.demo import seed_demo_shipments
from galeri.payments.demo import seed_demo_acquirers
from galeri.pos.demo import DEMO_PIN, DEMO_TILL_NAME, seed_demo_pins, seed_demo_tills
from galeri.production.demo import seed_demo_production
from galeri.shipping.demo import seed_demo_shipping
from galeri.units.demo import DEMO_USERNAMES
from galeri.units.models import Unit


def seed_stock_of_new_products(batch=5000) -> int:
    """Products the loader just made carry their demo quantity in stock_quantity;
    move it into the ledger (initial count at the unit's Galeri)."""
    written = 0
    last_id = 0
    while True:
        chunk = list(
            Product.objects.exclude(category__kind=CategoryKind.SERVICE)
            .filter(id__gt=last_id)
            .exclude(id__in=StockMovement.objects.values("product_id"))
            .select_related("unit")
            .only("id", "unit_id", "unit__id", "unit__path", "stock_quantity")
            .order_by("id")[:batch]
        )
        if not chunk:
            return written
        written += seed_demo_stock([(p, p.stock_quantity) for p in chunk])
        last_id = chunk[-1].id


# Loading the demo into production creates staff logins with a published password: said in full.
FORCE_FLAG = "--yes-load-demo-data-into-production"


class Command(BaseCommand):
    help = (
        "Muat data demo Galeri Karya: Ditjenpas → Kanwil Ditjenpas Maluku → Lapas, LPP dan Rutan Ambon, "
        "pohon kategori, ±70 produk kurasi dengan foto contoh, dan login petugas demo "
        f"(kata sandi {loader.DEMO_PASSWORD}, hanya untuk demo). Aman dijalankan berulang: yang sudah ada "
        "tidak diubah dan tidak digandakan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Tambahkan N produk sintetis terbit (SKU SYN-0000001 dst.) untuk uji beban. Setiap kali "
                "dijalankan menambah N lagi setelah nomor SYN tertinggi (bukan mengisi sampai N)."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Muat hanya bila belum ada unit sama sekali (dipakai `make run` setiap kali mulai).",
        )
        parser.add_argument(
            FORCE_FLAG,
            action="store_true",
            dest="force_production",
            help="Muat data demo (login petugas dengan kata sandi demo yang diketahui umum) walaupun konfigurasi ini "
            "produksi (GALERI_ENV=production, HTTPS=1 atau SECURE_COOKIES=1). Jangan dipakai di server sungguhan.",
        )
        parser.add_argument("--no-photos", action="store_true", help="Lewati foto contoh produk kurasi (lebih cepat).")
        parser.add_argument("--batch-size", type=int, default=2000, help="Ukuran batch produk sintetis (bawaan 2000).")
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Proses pembantu yang menyusun produk sintetis sementara proses utama menyimpan "
            "(bawaan: jumlah inti CPU dikurangi satu, paling sedikit 1; 0 = tanpa proses pembantu).",
        )

    def handle(self, *args, products=0, if_empty=False, no_photos=False, batch_size=2000, processes=None, **options):
        if is_production() and not options.get("force_production"):
            raise CommandError(
                "Konfigurasi ini produksi (GALERI_ENV=production, HTTPS=1 atau SECURE_COOKIES=1): data demo tidak "
                f"dimuat, karena membuat login petugas dengan kata sandi demo yang diketahui umum. Bila memang "
                f"disengaja (server uji), jalankan lagi dengan {FORCE_FLAG}."
            )
        if products < 0:
            raise CommandError("--products harus 0 atau lebih.")
        if batch_size < 1:
            raise CommandError("--batch-size harus 1 atau lebih.")
        if if_empty and Unit.objects.exists():
            if options["verbosity"] >= 2:
                self.stdout.write("Data sudah ada; demo tidak dimuat.")
            return
        verbose = options["verbosity"] >= 1
        step = max(batch_size, products // 10)
        marks = {"next": step}

        def progress(done):
            if verbose and marks["next"] <= done < products:
                self.stdout.write(f"  … {done:,} / {products:,} produk sintetis".replace(",", "."))
                marks["next"] += step

        result = loader.load_all(
            with_photos=not no_photos, products=products, batch_size=batch_size, processes=processes, progress=progress
        )
        started = time.monotonic()
        seed_stock_of_new_products()
        production = seed_demo_production({unit.code: unit for unit in Unit.objects.all()})
        seed_demo_services({unit.code: unit for unit in Unit.objects.all()})
        seed_demo_custom_orders({unit.code: unit for unit in Unit.objects.all()})
        tills = seed_demo_tills(Unit.objects.upts().order_by("path"))
        seed_demo_pins(DEMO_USERNAMES)
        acquirers = seed_demo_acquirers(Unit.objects.upts().order_by("path"))
        shipping = seed_demo_shipping(Unit.objects.upts().order_by("path"))
        shipped = seed_demo_shipments(Unit.objects.upts().order_by("path"))
        news = seed_demo_news({unit.code: unit for unit in Unit.objects.all()})
        events = seed_demo_events()
        result["timings"]["total"] += time.monotonic() - started
        if not verbose:
            return
        timings = result["timings"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Data demo siap: {len(result['units'])} unit, {len(result['categories'])} kategori, "
                f"{result['products_created']} produk kurasi baru ({timings['curated']:.1f} dtk)."
            )
        )
        if any(production.values()):
            self.stdout.write(
                f"Produksi contoh: {production['workshops']} bengkel kerja, {production['participants']} peserta "
                f"(kode dan inisial saja), {production['batches']} batch, {production['rules']} aturan pembagian."
            )
        if tills:
            self.stdout.write(f'Kasir: {tills} kasir "{DEMO_TILL_NAME}" di Galeri setiap UPT, siap dibuka.')
            self.stdout.write(f"PIN kasir administrator UPT (menyetujui retur): {DEMO_PIN}, hanya untuk demo.")
        if acquirers:
            self.stdout.write(
                f"QRIS: {acquirers} unit memakai penyedia simulasi (tanpa uang sungguhan); "
                'pembeli menekan "Bayar (simulasi)" di halaman pesanan.'
            )
        if shipping:
            self.stdout.write(
                f"Pengiriman: {shipping} unit dengan zona antar lima kecamatan Kota Ambon dan ongkir kurir simulasi."
            )
        if shipped:
            self.stdout.write(
                "Kiriman contoh: satu pesanan dikirim lewat JNE REG dengan nomor resi; label 100×150 mm siap dicetak "
                "di halaman pesanannya (Pesanan → Dikirim)."
            )
        if news:
            self.stdout.write(f"Berita: {news} berita contoh (satu menunggu persetujuan admin.lapas di Konsol → Berita).")
        if events:
            self.stdout.write(f"Pameran: {events} pameran contoh (dua akan datang, satu lalu dengan foto) di /pameran/.")
        if whatsapp_provider() == SIMULATED:
            self.stdout.write(
                "WhatsApp: penyedia simulasi (WHATSAPP_PROVIDER); pesan kepada pembeli tercatat terkirim di "
                "Konsol → Notifikasi, tidak sampai ke nomor sungguhan. Email tampil di terminal."
            )
        if products:
            added = result["synthetic_added"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"{added:,} produk sintetis ditambahkan; seluruh perintah {timings['total']:.1f} dtk.".replace(",", ".")
                )
            )
        self.stdout.write(f"Login demo (kata sandi {loader.DEMO_PASSWORD}, hanya untuk demo; akun yang sudah ada tidak diubah):")
        for username, role in result["users"]:
            self.stdout.write(f"  {username:<14} {role}")
