from galeri.payments.counter import CounterError


class PosError(CounterError):
    """A refusal of the cashier app (a ``CounterError``: the apps beside pos catch that one)."""


def _whole(value, message, *, allow_zero=True):
    """``value`` as whole rupiah (an int, not negative; not zero unless allowed), else ``PosError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        raise PosError(message, code="bad_amount")
    return value
