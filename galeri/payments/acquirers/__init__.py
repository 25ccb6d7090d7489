"""Acquirer adapters (one module per provider) behind one interface (``base.Acquirer``).

``PROVIDERS`` maps the name used in URLs and in ``ProviderAccount.provider`` to its adapter.
"""

from galeri.payments.acquirers.midtrans import Midtrans
from galeri.payments.acquirers.simulated import Simulated
from galeri.payments.acquirers.snap import Snap
from galeri.payments.acquirers.xendit import Xendit

PROVIDERS = {cls.name: cls for cls in (Midtrans, Xendit, Snap, Simulated)}


def adapter_for(account):
    """The adapter for one ``ProviderAccount``."""
    return PROVIDERS[account.provider](account)
