"""The interface a payment gateway would implement. There is no implementation, on purpose.

Today every unit is paid into its own static QRIS merchant account or bank
account. We cannot read either: the acquirer does not tell us when a buyer
pays a QRIS we generated from the static code, and the bank does not tell us
when a transfer lands. So every non-cash payment stays *pending* until staff
of the unit see the money in their merchant app or on the bank statement and
confirm it (``services.confirm_payment``) with the reference they read there.

When a unit signs with a gateway (an acquirer or a PJP licensed by Bank
Indonesia that issues dynamic QRIS per transaction and calls back when it is
paid), an adapter implementing ``PaymentGateway`` goes in this module, its
credentials come from the environment, and a callback view (in the app that
owns the payable) calls ``verify_callback`` and then ``confirm_payment`` with a
system user. Until then nothing here pretends to be one: no fake gateway, no
"auto-confirm" in tests or in the demo.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CallbackResult:
    """What a verified gateway callback says about one payment."""

    payment_id: int
    paid: bool
    amount: int  # whole rupiah, as the gateway reports it
    external_reference: str  # the gateway's transaction id or the QRIS RRN
    raw: dict = field(default_factory=dict)  # the verified body, kept for the audit trail


class GatewayError(Exception):
    """The gateway refused, timed out, or sent something that does not verify."""


class PaymentGateway(ABC):
    """An adapter to one payment gateway, for one unit's merchant account."""

    name: str = ""

    @abstractmethod
    def create_dynamic_qris(self, payment) -> str:
        """Ask the gateway for a one-time QRIS payload for ``payment`` (its amount and reference).

        Returns the EMVCo payload; ``galeri.payments.qris.parse`` must accept it.
        Raises GatewayError when the gateway does not answer or refuses.
        """

    @abstractmethod
    def verify_callback(self, request) -> CallbackResult:
        """Check a callback request's signature (and, where the gateway offers it, ask the gateway back)
        before believing it. Raises GatewayError when it does not verify; never trusts the body alone."""
