"""The acquirers' door to the outside world (``galeri.core.http``, one for every provider API):
every request an adapter makes goes through ``send``; tests replace it with ``replace(fake)`` (a
fixture in tests/payments/conftest.py answers with recorded responses), so no test reaches the
network. Network failures raise ``OSError`` (the caller turns it into ``AcquirerError``)."""

from galeri.core.http import Response, Transport

__all__ = ["Response", "TIMEOUT_SECONDS", "replace", "send"]

TIMEOUT_SECONDS = 15

_transport = Transport(timeout=TIMEOUT_SECONDS)
send = _transport.send
replace = _transport.replace
