"""A news post's workflow, in one table: staff write a draft and submit it; the unit's head (the
Kanwil's head for the Kanwil's own posts, through the unit tree) publishes it or returns it with a
note; a published post can be taken back (ditarik) or archived. Every step writes the shared
timeline; a step into or out of *terbit* renews the public pages (``galeri.core.pagecache``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core import pagecache
from galeri.core.workflow import Transition, Workflow
from galeri.news.errors import NewsError
from galeri.news.models import EDITABLE, Post, PostStatus

S = PostStatus
PAGES = "news"  # the page-cache scope of every public page that shows posts (list, post, home)


def _lock(post):
    return Post.objects.select_for_update().get(pk=post.pk)


def _wrong_step(post):
    return NewsError(
        _("Langkah ini tidak bisa dilakukan pada berita berstatus %(status)s.") % {"status": post.get_status_display()},
        code="wrong_status",
    )


# --- Guards (a check of the post only) ---------------------------------------------------------


def _complete(post):
    problems = post_problems(post)
    if problems:
        raise NewsError(" ".join(problems), code="incomplete")


def post_problems(post) -> list:
    """What a post lacks before it may be submitted (the editor lists them too)."""
    problems = []
    if not (post.title or "").strip():
        problems.append(_("Judul belum diisi."))
    if not (post.body or "").strip():
        problems.append(_("Isi berita belum diisi."))
    if post.photo and not (post.photo_alt or "").strip():
        problems.append(_("Foto perlu teks alternatif."))
    return problems


# --- Effects --------------------------------------------------------------------------------------


def _pages(post, step):
    if S.PUBLISHED in (step.from_state, post.status):
        pagecache.touch(PAGES)


def _submitted(post, step):
    post.submitted_at = step.now
    step.save("submitted_at")


def _publish(post, step):
    if post.published_at is None:  # a post taken back and approved again keeps its first date
        post.published_at = step.now
        step.save("published_at")
    _pages(post, step)


def _return(post, step):
    if not step.note:
        raise NewsError(_("Tulis catatan untuk penulis: apa yang perlu diperbaiki."), code="note_required")


NEWS = Workflow(
    "news.post",
    lock=_lock,
    error=NewsError,
    wrong_state=_wrong_step,
    transitions=[
        Transition(
            "ajukan",
            EDITABLE,
            S.SUBMITTED,
            gettext_lazy("Ajukan untuk disetujui"),
            "news.edit",
            guard=_complete,
            effect=_submitted,
            event=gettext_lazy("Diajukan untuk disetujui"),
        ),
        Transition(
            "setujui",
            (S.SUBMITTED,),
            S.PUBLISHED,
            gettext_lazy("Setujui dan terbitkan"),
            "news.approve",
            guard=_complete,
            effect=_publish,
            event=gettext_lazy("Disetujui dan diterbitkan"),
        ),
        Transition(
            "kembalikan",
            (S.SUBMITTED,),
            S.RETURNED,
            gettext_lazy("Kembalikan ke penulis"),
            "news.approve",
            effect=_return,
            event=gettext_lazy("Dikembalikan ke penulis"),
        ),
        Transition(
            "tarik",
            (S.PUBLISHED,),
            S.UNPUBLISHED,
            gettext_lazy("Tarik dari situs"),
            "news.approve",
            effect=_pages,
            event=gettext_lazy("Ditarik dari situs"),
        ),
        Transition(
            "arsipkan",
            (S.DRAFT, S.SUBMITTED, S.RETURNED, S.PUBLISHED, S.UNPUBLISHED),
            S.ARCHIVED,
            gettext_lazy("Arsipkan"),
            "news.approve",
            effect=_pages,
            event=gettext_lazy("Diarsipkan"),
        ),
        Transition(
            "pulihkan",
            (S.ARCHIVED,),
            S.DRAFT,
            gettext_lazy("Pulihkan ke draf"),
            "news.approve",
            event=gettext_lazy("Dipulihkan ke draf"),
        ),
    ],
)
