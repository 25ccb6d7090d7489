"""The one way out to a provider's HTTP API (payment acquirers, courier rates, WhatsApp).

Each outside service has its own ``Transport`` (its own timeout; tests swap its sender), and every
request an adapter makes goes through ``transport.send(method, url, headers, body)``:

- the standard library, no extra dependency, a short timeout;
- an HTTP error status is an answer (``Response``) for the adapter to read, not an exception;
- a timeout raises ``TimeoutError``, any other network failure ``OSError``: the adapter turns
  them into its own domain error;
- tests call ``transport.replace(fake)`` with a function answering recorded responses in the
  provider's documented shape, so no test reaches the network (or point it at a local server).
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def urllib_send(method: str, url: str, headers: dict, body: bytes | None, timeout: float) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (https URLs from settings)
            return Response(reply.status, reply.read(), dict(reply.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read(), dict(error.headers or {}))
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise error.reason from error
        raise OSError(str(error.reason)) from error


class Transport:
    def __init__(self, timeout: float):
        self.timeout = timeout
        self._fake = None

    def send(self, method: str, url: str, headers: dict, body: bytes | None = None, *, timeout: float | None = None) -> Response:
        """Send one request; a timeout raises ``TimeoutError``, other network failures ``OSError``."""
        if self._fake is not None:
            return self._fake(method, url, headers, body)
        return urllib_send(method, url, headers, body, timeout or self.timeout)

    def replace(self, fn):
        """Use ``fn(method, url, headers, body)`` instead of the network (None: the network again);
        returns the previous one, to put back."""
        previous, self._fake = self._fake, fn
        return previous


def call(send, method, url, headers, body=None, *, timed_out, unreachable):
    """``send`` with network failures raised as the caller's own domain errors (``timed_out()``,
    ``unreachable()``), never with the request (which may hold a key) in the message."""
    try:
        return send(method, url, headers, body)
    except TimeoutError:
        raise timed_out() from None
    except OSError:
        raise unreachable() from None


def json_object(response, *, unreadable) -> dict:
    """The JSON object of a response, or the caller's ``unreadable()`` error."""
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        raise unreadable() from None
    if not isinstance(data, dict):
        raise unreadable()
    return data
