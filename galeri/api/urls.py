"""The JSON API under /api/v1/ (django-ninja); anything else under it is a JSON 404."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import path, re_path

from galeri.api import problems, views
from galeri.api.core import api


def _problem_for_405(view):
    """django-ninja answers a wrong method with a plain-text 405: make it a problem, keeping Allow."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return problems.response(request, "method-not-allowed", headers={"Allow": response["Allow"]})
        return response

    return wrapped


_api_patterns, _api_app, _api_namespace = api.urls  # not "app_name": include() would read it as ours
for _pattern in _api_patterns:
    if hasattr(_pattern, "callback"):
        _pattern.callback = _problem_for_405(_pattern.callback)

urlpatterns = [
    path("", (_api_patterns, _api_app, _api_namespace)),
    re_path(r"^[\s\S]*$", views.not_found, name="api_not_found"),  # not ".": a %0A in the path too
]
