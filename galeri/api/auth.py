"""Who calls the API and the two refusals the routers raise; ``galeri.api.core`` turns them into
problem responses. The routers (``public``, ``staff``) import these from here, not from ``core``
(which imports the routers to mount them)."""

from ninja.security import HttpBearer

from galeri.api import services


class Forbidden(Exception):
    """The token's user holds no role that allows the action anywhere (403)."""


class Rejected(Exception):
    """A domain service refused the request; ``messages`` are already translated (422)."""

    def __init__(self, messages):
        super().__init__(" ".join(messages))
        self.messages = messages


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
