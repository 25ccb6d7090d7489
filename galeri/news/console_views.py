"""Console pages for news: the list, a new post, a post (editor, preview, history, steps) and the
steps themselves. Every view is a ``console_view``; rows are scoped to the user's units (another
unit's post is a 404); each step's own permission is checked by the workflow table."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galeri.core import timeline
from galeri.core.errors import refused
from galeri.news import markdown, selectors, services
from galeri.news.errors import NewsError
from galeri.news.forms import PRIVACY_HINT, PostForm, StepForm
from galeri.news.models import Post
from galeri.news.workflow import NEWS, post_problems
from galeri.units.scoping import allowed_units, console_view, get_scoped_or_404

# A refusal's code -> the form field it belongs to (others go on top of the form).
FIELD_OF = {
    "title_required": "title",
    "title_long": "title",
    "body_long": "body",
    "alt_required": "photo_alt",
    "alt_long": "photo_alt",
    "recognisable": "no_inmate",
    "bad_image": "photo",
    "unit_required": "unit",
    "unit_inactive": "unit",
}


def _post(request, pk):
    return get_scoped_or_404(Post.objects.select_related("unit", "author"), request.user, "news.edit", pk=pk)


def _save(request, form, post=None):
    """The service with the form's data; a refusal lands on its field. Returns the post or None."""
    data = form.cleaned_data
    try:
        return services.save_post(
            post,
            user=request.user,
            unit=data.get("unit"),
            title=data["title"],
            body=data["body"],
            photo=data.get("photo") or None,
            photo_alt=data.get("photo_alt", ""),
            no_inmate_confirmed=data.get("no_inmate", False),
            remove_photo=data.get("remove_photo", False),
        )
    except NewsError as exc:
        field = FIELD_OF.get(exc.codes[0])
        form.add_error(field if field in form.fields else None, exc.text)
        return None


def _then_submit(request, post):
    if request.POST.get("then") != "ajukan":
        messages.success(request, _("Berita disimpan."))
        return
    with refused(request) as outcome:
        services.take_step(post, "ajukan", user=request.user)
    if outcome.ok:
        messages.success(request, _("Berita disimpan dan diajukan untuk disetujui."))


@console_view("news.edit")
def post_list(request):
    context = selectors.console_list(request.user, request.GET)
    return render(request, "news/console/list.html", context)


@console_view("news.edit")
def post_new(request):
    units = allowed_units(request.user, "news.edit").filter(is_active=True)
    form = PostForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        post = _save(request, form)
        if post is not None:
            _then_submit(request, post)
            return redirect("news_console:edit", pk=post.pk)
    return render(request, "news/console/form.html", {"form": form, "post": None, "privacy_hint": PRIVACY_HINT})


@console_view("news.edit")
def post_edit(request, pk):
    post = _post(request, pk)
    form = PostForm(request.POST or None, request.FILES or None, post=post) if post.editable else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Berita ini tidak bisa diubah pada statusnya sekarang."))
            return redirect("news_console:edit", pk=post.pk)
        if form.is_valid():
            saved = _save(request, form, post)
            if saved is not None:
                _then_submit(request, saved)
                return redirect("news_console:edit", pk=post.pk)
    elif form is not None:
        form.initial = {"title": post.title, "body": post.body, "photo_alt": post.photo_alt}
    history = timeline.events_of(post)
    allowed = NEWS.allowed(post, request.user)
    returned = next((e for e in reversed(history) if e.action == "kembalikan"), None)
    return render(
        request,
        "news/console/form.html",
        {
            "form": form,
            "post": post,
            "preview": markdown.render(post.body),
            "actions": [row for row in allowed if row.action != "ajukan"],
            "may_submit": any(row.action == "ajukan" for row in allowed),
            "problems": post_problems(post),
            "history": history,
            "return_note": returned if post.status == "returned" else None,
            "privacy_hint": PRIVACY_HINT,
        },
    )


@console_view("news.edit")
@require_POST
def post_step(request, pk):
    post = _post(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect("news_console:edit", pk=post.pk)
    action = form.cleaned_data["action"]
    with refused(request) as outcome:
        post = services.take_step(post, action, user=request.user, note=form.cleaned_data["note"])
    if outcome.ok:
        messages.success(request, _("%(step)s: selesai.") % {"step": NEWS.get(action).label})
    return redirect("news_console:edit", pk=post.pk)
