"""A news post: written by a unit's staff, approved by the unit's head, then public.

Only the words staff type (title, Markdown text) and one optional photo, re-encoded without
metadata; the public pages credit the unit, never the staff member or a Warga Binaan.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from galeri.core.timeline import timeline_relation
from galeri.units.models import Unit

TITLE_MAX = 120
BODY_MAX = 10_000
ALT_MAX = 200


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu persetujuan")
    RETURNED = "returned", _("Dikembalikan")
    PUBLISHED = "published", _("Terbit")
    UNPUBLISHED = "unpublished", _("Ditarik")
    ARCHIVED = "archived", _("Diarsipkan")


# A post's words and photo change only in these states (a published post is taken back first).
EDITABLE = (PostStatus.DRAFT, PostStatus.RETURNED, PostStatus.UNPUBLISHED)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PostStatus.PUBLISHED, unit__is_active=True, published_at__isnull=False)


class Post(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="news_posts", verbose_name=_("unit"))
    title = models.CharField(_("judul"), max_length=TITLE_MAX)
    slug = models.SlugField(max_length=80, unique=True)
    body = models.TextField(_("isi"), max_length=BODY_MAX)
    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT, db_index=True)
    # The photo, re-encoded WebP without metadata, its thumbnails {"320": name, ...} and the
    # 1200×630 JPEG for share previews; all empty when the post has no photo.
    photo = models.CharField(max_length=200, blank=True, default="")
    photo_width = models.PositiveIntegerField(default=0)
    photo_height = models.PositiveIntegerField(default=0)
    photo_thumbnails = models.JSONField(default=dict, blank=True)
    photo_alt = models.CharField(_("teks alternatif foto"), max_length=ALT_MAX, blank=True, default="")
    share_image = models.CharField(max_length=200, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("penulis")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    events = timeline_relation()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("berita")
        verbose_name_plural = _("berita")
        indexes = [models.Index(fields=["status", "-published_at"], name="news_post_public")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_public(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    def photo_url(self, width=640):
        if not self.photo:
            return ""
        widths = sorted(int(w) for w in self.photo_thumbnails or {})
        if not widths:
            return default_storage.url(self.photo)
        chosen = next((w for w in widths if w >= width), widths[-1])
        return default_storage.url(self.photo_thumbnails[str(chosen)])

    @property
    def photo_srcset(self):
        items = sorted((self.photo_thumbnails or {}).items(), key=lambda item: int(item[0]))
        return ", ".join(f"{default_storage.url(path)} {w}w" for w, path in items)

    def photo_files(self) -> list:
        return [name for name in [self.photo, self.share_image, *(self.photo_thumbnails or {}).values()] if name]
