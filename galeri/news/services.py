"""Writes to the news: one function per use case, each checking the acting user itself.

Words and photo change only while a post is a draft, returned or taken back (``EDITABLE``);
the steps between states are the table in ``galeri.news.workflow`` (``take_step``).
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.text import multi_line, single_line
from galeri.core.workflow import transition
from galeri.news import photos
from galeri.news.errors import NewsError
from galeri.news.models import ALT_MAX, BODY_MAX, TITLE_MAX, Post
from galeri.news.workflow import NEWS
from galeri.units.scoping import require


def unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "berita"
    slug, n = base, 2
    while Post.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _words(title, body):
    title = single_line(title or "").strip()
    body = multi_line(body or "").strip()
    if not title:
        raise NewsError(_("Judul belum diisi."), code="title_required")
    if len(title) > TITLE_MAX:
        raise NewsError(_("Judul paling panjang %(n)s huruf.") % {"n": TITLE_MAX}, code="title_long")
    if len(body) > BODY_MAX:
        raise NewsError(_("Isi berita paling panjang %(n)s huruf.") % {"n": BODY_MAX}, code="body_long")
    return title, body


def _photo_checks(upload, alt, no_inmate_confirmed):
    alt = single_line(alt or "").strip()
    if upload is None:
        return alt
    if not alt:
        raise NewsError(_("Tulis teks alternatif foto: apa yang terlihat di foto."), code="alt_required")
    if len(alt) > ALT_MAX:
        raise NewsError(_("Teks alternatif paling panjang %(n)s huruf.") % {"n": ALT_MAX}, code="alt_long")
    if not no_inmate_confirmed:
        raise NewsError(
            _("Pastikan tidak ada Warga Binaan yang bisa dikenali di foto, lalu centang pernyataannya."),
            code="recognisable",
        )
    return alt


def save_post(
    post: Post | None,
    *,
    user,
    unit=None,
    title,
    body,
    photo=None,
    photo_alt="",
    no_inmate_confirmed=False,
    remove_photo=False,
) -> Post:
    """Create a draft (``post`` None, in ``unit``) or change an editable post's words and photo.

    The upload is checked and stored before anything is written; when the row cannot be saved the
    new files are removed, and the old photo's files only after the commit. Nothing half-saved."""
    title, body = _words(title, body)
    alt = _photo_checks(photo, photo_alt, no_inmate_confirmed)
    if post is None:
        if unit is None:
            raise NewsError(_("Pilih unit berita ini."), code="unit_required")
        require(user, "news.edit", unit)
        if not unit.is_active:
            raise NewsError(_("Unit ini tidak aktif."), code="unit_inactive")
    else:
        require(user, "news.edit", post.unit)
    stored = photos.store(photo) if photo is not None else None
    try:
        with transaction.atomic():
            if post is None:
                post = Post(unit=unit, author=user, slug=unique_slug(title))
                old_files = []
            else:
                post = Post.objects.select_for_update().get(pk=post.pk)
                if not post.editable:
                    raise NewsError(
                        _("Berita berstatus %(status)s tidak bisa diubah; tarik dulu dari situs.")
                        % {"status": post.get_status_display()},
                        code="not_editable",
                    )
                old_files = post.photo_files() if (stored or remove_photo) else []
            post.title, post.body = title, body
            if stored is not None:
                post.photo, post.photo_width, post.photo_height = stored.name, stored.width, stored.height
                post.photo_thumbnails, post.share_image, post.photo_alt = stored.thumbnails, stored.share_image, alt
            elif remove_photo:
                post.photo, post.photo_width, post.photo_height = "", 0, 0
                post.photo_thumbnails, post.share_image, post.photo_alt = {}, "", ""
            elif alt and post.photo:
                post.photo_alt = alt
            created = post.pk is None
            _save_row(post, created)
            timeline.record(
                post,
                _("Draf ditulis") if created else _("Diubah"),
                to_state=post.status,
                from_state="" if created else post.status,
                action="tulis" if created else "ubah",
                actor=Actor.STAFF,
                user=user,
            )
            if old_files:
                transaction.on_commit(lambda: photos.discard(old_files))
    except Exception:
        if stored is not None:
            photos.discard(stored.written)
        raise
    return post


def _save_row(post, created):
    if not created:
        post.save()
        return
    try:
        with transaction.atomic():  # two posts of the same title at the same moment: one gets a suffix
            post.save()
    except IntegrityError:
        post.slug = f"{post.slug[:70]}-{secrets.token_hex(3)}"
        post.save()


def take_step(post: Post, action: str, *, user, note: str = "") -> Post:
    """One step of the table (submit, approve, return, take back, archive, restore)."""
    return transition(NEWS, post, action, user=user, note=note)
