"""Demo QRIS provider: each UPT takes QRIS through the simulated acquirer, so after `make run` a
buyer's order page shows a dynamic QRIS and "Bayar (simulasi)" confirms it within seconds, with no
staff action (docs/payments.md, "Simulasi di demo").

Called by the demo command. Safe to run again: a unit that has a simulated account keeps it; a
unit with another active provider keeps that one active.
"""

from galeri.payments.acquiring import ensure_simulated_account
from galeri.payments.models import Provider, ProviderAccount


def seed_demo_acquirers(upts) -> int:
    """The simulated provider account of each unit in ``upts``; returns how many were made."""
    made = 0
    for unit in upts:
        if not ProviderAccount.objects.filter(unit=unit, provider=Provider.SIMULATED).exists():
            made += 1
        ensure_simulated_account(unit)
    return made
