"""Who calls the API and the refusal the routers raise (domain errors have one handler in core); ``galeri.api.core`` turns them into
problem responses. The routers (``public``, ``staff``) import these from here, not from ``core``
(which imports the routers to mount them)."""

from ninja.security import HttpBearer

from galeri.api import services


class Forbidden(Exception):
    """The token's user holds no role that allows the action anywhere (403)."""


# --- Tokens ---------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gk_...``: the token's user, with the token on ``request.api_token``."""

    openapi_description = "Token API pribadi dari /petugas/token-api/ / a personal API token"

    def authenticate(self, request, token):
        found = services.authenticate(token)
        if found is None:
            return None
        request.api_token = found
        request.user = found.user
        return found.user
