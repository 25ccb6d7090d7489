"""Views outside django-ninja: the JSON 404 under /api/v1/ and the console page for tokens."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from galeri.api import problems, selectors, services
from galeri.core.errors import refused
from galeri.units.scoping import console_view


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a problem, not the gallery's HTML 404."""
    return problems.response(request, "not-found")


@console_view("api.tokens")
@never_cache
def tokens(request):
    """The user's own tokens; a new token's secret is shown in this response only."""
    created = secret = None
    name_error = ""
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "")[:200]
        try:
            created, secret = services.create_token(request.user, name)
        except services.ApiTokenError as exc:
            name_error = exc.messages[0]
    context = {
        "tokens": selectors.tokens_for(request.user),
        "created": created,
        "secret": secret,
        "name_error": name_error,
        "name": "" if created else name,
    }
    return render(request, "api/tokens.html", context, status=400 if name_error else 200)


@console_view("api.tokens")
@require_POST
def revoke(request, pk):
    token = selectors.own_token_or_404(request.user, pk)
    with refused(request) as outcome:
        services.revoke_token(token, user=request.user)
    if outcome.ok:
        messages.success(
            request, _('Token "%(name)s" dicabut: aplikasi yang memakainya tidak bisa masuk lagi.') % {"name": token.name}
        )
    return redirect("api_console:tokens")
