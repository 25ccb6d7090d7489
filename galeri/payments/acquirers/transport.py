"""The one door to the outside world: every request an adapter makes goes through ``send``.

``send(method, url, headers, body) -> Response`` uses the standard library (no extra
dependency, a short timeout). Tests replace it with ``replace(fake)`` (a fixture in
tests/payments/conftest.py answers with recorded responses), so no test reaches the network.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 15


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


_current = _urllib_send


def send(method: str, url: str, headers: dict, body: bytes | None = None) -> Response:
    """Send one request; network failures raise ``OSError`` (the caller turns it into AcquirerError)."""
    return _current(method, url, headers, body)


def replace(fn) -> object:
    """Use ``fn`` instead of the network; returns the previous sender (to put back)."""
    global _current
    previous, _current = _current, fn
    return previous
