from galeri.payments.counter import CounterError


class PosError(CounterError):
    """A refusal of the cashier app (a ``CounterError``: the apps beside pos catch that one)."""
