"""Writes of production and pembinaan: the one door the other apps call. The code lives by concept in
``people`` (workshops, participants, personal data, training, certificates), ``batches``, ``rules`` and
``rulebook`` (split rules), ``settlement``, ``premi_pnbp`` and ``base`` (the error and input checks);
this module re-exports their public names, so ``production.services.settle_sale`` stays the API.

One function per use case, one transaction each;
bad input raises ``ProductionError`` with an Indonesian message and nothing is saved.

The settlement API the selling apps call is described in ``galeri.production.settlement``.
"""

from galeri.inventory.models import StockLocation
from galeri.production.base import BATCH_SOURCE, MAX_HOURS, ProductionError
from galeri.production.batches import MaterialLine, create_batch, pass_quality_check
from galeri.production.costs import batch_cost, unit_cost_of
from galeri.production.people import (
    INITIALS_RE,
    add_certificate,
    create_participant,
    create_training_session,
    erase_released_participants,
    may_view_personal,
    next_participant_code,
    read_personal,
    save_workshop,
    set_credit_consent,
    set_personal,
    update_participant,
)
from galeri.production.premi_pnbp import (
    BILLING_RE,
    NTPN_RE,
    month_range,
    month_start,
    pnbp_due,
    record_payout,
    record_pnbp_deposit,
)
from galeri.production.rulebook import RuleBook, rule_in_force, shares_of
from galeri.production.rules import ShareInput, create_split_rule, end_split_rule
from galeri.production.settlement import (
    SaleLine,
    allocate_pending,
    pieces_from_consumptions,
    reverse_settlement,
    settle_sale,
    settle_service,
)

__all__ = [
    "BATCH_SOURCE",
    "BILLING_RE",
    "INITIALS_RE",
    "MAX_HOURS",
    "MaterialLine",
    "NTPN_RE",
    "ProductionError",
    "RuleBook",
    "SaleLine",
    "ShareInput",
    "add_certificate",
    "allocate_pending",
    "batch_cost",
    "create_batch",
    "create_participant",
    "create_split_rule",
    "create_training_session",
    "end_split_rule",
    "erase_released_participants",
    "location_for",
    "may_view_personal",
    "month_range",
    "month_start",
    "next_participant_code",
    "pass_quality_check",
    "pieces_from_consumptions",
    "pnbp_due",
    "read_personal",
    "record_payout",
    "record_pnbp_deposit",
    "reverse_settlement",
    "rule_in_force",
    "save_workshop",
    "set_credit_consent",
    "set_personal",
    "settle_sale",
    "settle_service",
    "shares_of",
    "unit_cost_of",
    "update_participant",
]


def location_for(unit, pk):
    return StockLocation.objects.filter(unit=unit, pk=pk, is_active=True).first()
