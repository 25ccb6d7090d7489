"""The NinjaAPI instance: bearer tokens, rate limits, problem details, ETags, the docs page."""

import hashlib
import logging

from django.conf import settings
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.throttling import BaseThrottle

from galeri.api import problems
from galeri.api.auth import Forbidden
from galeri.api.docs import docs_context
from galeri.api.pagination import InvalidCursor
from galeri.core import ratelimit
from galeri.core.errors import DomainError, error_text

log = logging.getLogger("galeri.api")

DEFAULT_RATES = {"anon": "120/min", "token": "600/min"}
PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


# Forbidden and TokenAuth live in galeri.api.auth, which the routers import: the
# routers import nothing from this module, so ``core`` <-> ``staff`` is no circle.


# --- Rate limits ----------------------------------------------------------------------------


def _parse_rate(rate: str):
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()]


class WindowThrottle(BaseThrottle):
    """A fixed-window counter in the shared store of ``galeri.core.ratelimit`` (Redis or the database).

    ``anon`` counts requests without a token per client address; ``token``
    counts requests per token, whichever address they come from.
    """

    def __init__(self, kind):
        self.kind = kind
        self._wait = None

    def _ident(self, request):
        token = getattr(request, "api_token", None)
        if self.kind == "token":
            return f"t{token.pk}" if token is not None else None
        return None if token is not None else f"ip{ratelimit.client_ip(request)}"

    def allow_request(self, request):
        ident = self._ident(request)
        if ident is None:
            return True
        rates = {**DEFAULT_RATES, **getattr(settings, "API_RATE_LIMITS", {})}
        limit, period = _parse_rate(rates[self.kind])
        decision = ratelimit.hit(f"api-{self.kind}", ident, limit=limit, period=period)
        if not decision.allowed:
            self._wait = decision.retry_after
            request._api_retry_after = self._wait
            return False
        return True

    def wait(self):
        return getattr(self, "_wait", None)


# --- Docs page without a CDN ------------------------------------------------------------------


class ServerDocs(DocsBase):
    """The reference rendered on the server from the OpenAPI schema: no script, no CDN."""

    def render_page(self, request, api, **kwargs):
        response = render(request, "api/docs.html", docs_context(request, api))
        response["Cache-Control"] = "public, max-age=300"
        return response


# --- The API ----------------------------------------------------------------------------------


class GaleriAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if getattr(request, "api_etag", False) and request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = 'W/"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            response["Cache-Control"] = "public, no-cache"
            match = request.META.get("HTTP_IF_NONE_MATCH", "")
            if match and (match.strip() == "*" or etag in [m.strip() for m in match.split(",")]):
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                not_modified["Cache-Control"] = "public, no-cache"
                return not_modified
        elif getattr(request, "api_token", None) is not None:
            response["Cache-Control"] = "private, no-store"
        return response

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        # Errors are served as application/problem+json: say so in the schema.
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for code, spec in operation.get("responses", {}).items():
                    content = spec.get("content", {})
                    if str(code).startswith(("4", "5")) and "application/json" in content:
                        content[problems.CONTENT_TYPE] = content.pop("application/json")
                    if str(code) == "429":
                        spec["headers"] = {"Retry-After": {"description": "Detik / seconds", "schema": {"type": "integer"}}}
        return schema


api = GaleriAPI(
    title="Galeri Karya API",
    version="1",
    description=(
        "API JSON Galeri Karya: katalog publik (tanpa token) dan data petugas (token API pribadi, "
        "cakupan unit sama dengan konsol). / The Galeri Karya JSON API: the public catalog (no token) "
        "and staff data (personal API token, the same unit scoping as the console)."
    ),
    urls_namespace="api",
    docs=ServerDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[WindowThrottle("anon"), WindowThrottle("token")],
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return problems.response(request, "unauthorized", headers={"WWW-Authenticate": 'Bearer realm="galeri"'})


@api.exception_handler(AuthorizationError)
def _forbidden_ninja(request, exc):
    return problems.response(request, "forbidden")


@api.exception_handler(Forbidden)
def _forbidden(request, exc):
    return problems.response(request, "forbidden")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problems.response(request, "not-found")


@api.exception_handler(InvalidCursor)
def _bad_cursor(request, exc):
    return problems.response(request, "invalid-cursor")


@api.exception_handler(DomainError)
def _refused(request, exc):
    """A service refused the request: the one place a domain error becomes a problem detail (422)."""
    with translation.override(problems.language(request)):
        detail = error_text(exc)
    codes = [code for code in exc.codes if code != DomainError.default_code]
    return problems.response(request, "rejected", detail=detail, code=codes[0] if codes else None)


@api.exception_handler(ValidationError)
def _validation(request, exc):
    return problems.response(request, "validation", errors=problems.field_errors(request, exc.errors))


@api.exception_handler(Throttled)
def _throttled(request, exc):
    wait = getattr(request, "_api_retry_after", None) or int(exc.wait or 1)
    return problems.response(request, "rate-limited", wait=wait, headers={"Retry-After": str(wait)})


@api.exception_handler(HttpError)
def _http_error(request, exc):
    kinds = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed"}
    return problems.response(request, kinds.get(exc.status_code, "bad-request"))


@api.exception_handler(Exception)
def _server_error(request, exc):
    log.exception("API error on %s", request.path)
    if settings.DEBUG and getattr(settings, "API_RAISE_ERRORS", False):
        raise exc
    return problems.response(request, "server-error")


from galeri.api import public, staff, staff_orders  # noqa: E402  (routers register themselves on ``api``)

api.add_router("", public.router)
api.add_router("/staff", staff.router)
api.add_router("/staff", staff_orders.router)
