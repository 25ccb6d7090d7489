"""The rate providers' door to the outside world (``galeri.core.http``, one for every provider
API): every request an adapter makes goes through ``send`` with a short timeout (a buyer is
waiting at checkout); tests replace it with ``replace(fake)`` (tests/shipping/conftest.py answers
with recorded responses). A timeout raises ``TimeoutError``, any other network failure ``OSError``:
the adapter turns both into a ``RateError``."""

from galeri.core.http import Response, Transport

__all__ = ["Response", "TIMEOUT_SECONDS", "replace", "send"]

TIMEOUT_SECONDS = 8

_transport = Transport(timeout=TIMEOUT_SECONDS)
send = _transport.send
replace = _transport.replace
