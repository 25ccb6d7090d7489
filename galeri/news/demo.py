"""Demo news: three published posts (a workshop's new products, a bazaar recap, the Kanwil's
note on the gallery's next exhibition) and one waiting for the Lapas head's approval, so the
console's home shows it. Written and approved by the demo staff through the workflow. Safe to run
again: a post whose slug exists is left as it is. Photos are drawn here (a woven pattern, no person)."""

import datetime
import io

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from galeri.core import clock
from galeri.core.workflow import transition
from galeri.news import services
from galeri.news.models import Post
from galeri.news.workflow import NEWS
from galeri.units.models import UnitKind

# (slug, unit code or None for the Kanwil, author, approver or None to leave it waiting, days ago, title, body, photo colours)
POSTS = [
    (
        "anyaman-pandan-baru-dari-lapas-ambon",
        "LPA",
        "petugas.lapas",
        "admin.lapas",
        9,
        "Anyaman pandan baru dari bengkel kerja Lapas Ambon",
        "Bengkel anyaman **Lapas Kelas IIA Ambon** menyelesaikan koleksi baru: tas jinjing, tikar kecil dan "
        "tempat tisu dari pandan yang dijemur dan diwarnai sendiri.\n\n"
        "## Yang baru\n\n- Tas jinjing motif *kisi-kisi* dalam tiga warna\n- Tikar pandan 60 × 90 cm\n"
        "- Tempat tisu dengan tutup kayu\n\nSemuanya bisa dilihat di [halaman unit](/upt/lapas-ambon/) "
        "dan dibeli di galeri atau dipesan antar di Kota Ambon.",
        ((196, 160, 96), (122, 74, 42)),
    ),
    (
        "rekap-bazar-hari-bhakti-pemasyarakatan",
        None,
        "admin.kanwil",
        "admin.kanwil",
        5,
        "Rekap bazar Hari Bhakti Pemasyarakatan di Ambon",
        "Tiga hari bazar di halaman Kanwil Ditjenpas Maluku ditutup dengan ramai. Ketiga UPT membawa karya "
        "terbaiknya: kue kering, ukiran kayu, anyaman dan pakaian jadi.\n\n"
        "> Terima kasih kepada warga Ambon yang datang dan membeli. Setiap pembelian menjadi premi bagi "
        "pembuatnya dan PNBP bagi negara.\n\n"
        "Bagi yang belum sempat datang, karya yang sama ada di galeri daring.",
        ((11, 88, 120), (230, 240, 244)),
    ),
    (
        "kue-kering-natal-lpp-ambon",
        "LPP",
        "petugas.lpp",
        "admin.lpp",
        2,
        "Kue kering untuk Natal dan Tahun Baru dari LPP Ambon",
        "Dapur pelatihan **LPP Ambon** membuka pesanan kue kering: nastar, kastengel dan kue sagu. "
        "Setiap toples mencantumkan tanggal kedaluwarsa dan nomor P-IRT.\n\n"
        "1. Pesan paling lambat 20 Desember\n2. Ambil di galeri LPP atau minta diantar\n",
        ((214, 170, 60), (163, 38, 42)),
    ),
    (
        "ukiran-kayu-motif-maluku-segera-hadir",
        "LPA",
        "petugas.lapas",
        None,
        0,
        "Ukiran kayu motif Maluku segera hadir",
        "Peserta pelatihan ukir menyiapkan papan nama dan hiasan dinding motif *cengkih dan pala*. "
        "Berita ini menunggu persetujuan kepala unit.",
        None,
    ),
]


def _photo(colours) -> SimpleUploadedFile:
    light, dark = colours
    image = Image.new("RGB", (1200, 800), light)
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 60):
        for y in range(0, 800, 60):
            if (x // 60 + y // 60) % 2:
                draw.rectangle([x, y, x + 52, y + 52], fill=dark)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def seed_demo_news(units_by_code) -> int:
    """Returns how many posts were written now."""
    kanwil = next((u for u in units_by_code.values() if u.kind == UnitKind.KANWIL), None)
    users = {u.username: u for u in User.objects.filter(username__in={p[2] for p in POSTS} | {p[3] for p in POSTS if p[3]})}
    written = 0
    for slug, code, author, approver, days, title, body, colours in POSTS:
        unit = kanwil if code is None else units_by_code.get(code)
        if unit is None or author not in users or Post.objects.filter(slug=slug).exists():
            continue
        photo = _photo(colours) if colours else None
        post = services.save_post(
            None,
            user=users[author],
            unit=unit,
            title=title,
            body=body,
            photo=photo,
            photo_alt=f"Pola anyaman, ilustrasi berita: {title}" if photo else "",
            no_inmate_confirmed=True,
        )
        Post.objects.filter(pk=post.pk).update(slug=slug)
        post.refresh_from_db()
        when = clock.now() - datetime.timedelta(days=days)
        post = transition(NEWS, post, "ajukan", user=users[author], now=when)
        if approver and approver in users:
            transition(NEWS, post, "setujui", user=users[approver], now=when + datetime.timedelta(hours=2))
        written += 1
    return written
