"""The one door to the outside world for rate providers: every request an adapter makes goes
through ``send`` (the same idea as galeri/payments/acquirers/transport.py, kept separate because
shipping and payments are sibling layers that do not import each other).

``send(method, url, headers, body) -> Response`` uses the standard library with a short timeout
(a buyer is waiting at checkout). Tests replace it with ``replace(fake)`` (the fixture in
tests/shipping/conftest.py answers with recorded responses), so no test reaches the network.
A timeout raises ``TimeoutError``, any other network failure ``OSError``: the adapter turns
both into a ``RateError``.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 8


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def _urllib_send(method: str, url: str, headers: dict, body: bytes | None) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:  # noqa: S310 (https URLs from settings)
            return Response(reply.status, reply.read(), dict(reply.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read(), dict(error.headers or {}))
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise error.reason from error
        raise OSError(str(error.reason)) from error


_current = _urllib_send


def send(method: str, url: str, headers: dict, body: bytes | None = None) -> Response:
    """Send one request; a timeout raises ``TimeoutError``, other network failures ``OSError``."""
    return _current(method, url, headers, body)


def replace(fn) -> object:
    """Use ``fn`` instead of the network; returns the previous sender (to put back)."""
    global _current
    previous, _current = _current, fn
    return previous
