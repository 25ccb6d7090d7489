"""Production: workshops, participants, split rules, batches that passed QC into stock."""

import datetime
import itertools
from decimal import Decimal

import pytest

from galeri.production import services
from galeri.production.models import ShareKind, SplitBase, WorkshopKind

_seq = itertools.count(1)
LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture
def make_workshop(db):
    def make(unit, name=None, kind=WorkshopKind.WEAVING, **fields):
        return services.save_workshop(unit=unit, name=name or f"Bengkel {next(_seq)}", kind=kind, **fields)

    return make


@pytest.fixture
def make_participant(db):
    def make(unit, initials="A.B.", **fields):
        return services.create_participant(unit, initials=initials, **fields)

    return make


@pytest.fixture
def make_rule(db):
    """make_rule(unit, [(kind, percent), ...], base=..., valid_from=...)"""

    def make(
        unit,
        shares=((ShareKind.PREMI, 50), (ShareKind.PNBP, 15), (ShareKind.CAPITAL, 35)),
        base=SplitBase.PROFIT,
        valid_from=LONG_AGO,
        valid_until=None,
        legal_basis="Kepmen Kehakiman M.01.PK.04.10 Tahun 1990",
    ):
        return services.create_split_rule(
            unit,
            valid_from=valid_from,
            valid_until=valid_until,
            legal_basis=legal_basis,
            base=base,
            shares=[services.ShareInput(kind, "", Decimal(str(p))) for kind, p in shares],
        )

    return make


@pytest.fixture
def make_batch(db, make_workshop):
    """make_batch(product, location, [(participant, hours)], quantity=.., cost=.., passed=None) -> batch (QC passed unless passed=False)."""

    def make(product, location, people, quantity=10, material_cost=100_000, passed=True, workshop=None, started_on=None):
        workshop = workshop or make_workshop(product.unit)
        batch = services.create_batch(
            workshop,
            product,
            quantity_made=quantity,
            started_on=started_on or datetime.date(2025, 1, 6),
            participants=people,
            materials=[services.MaterialLine("Daun pandan", Decimal("1"), material_cost, "ikat")],
        )
        if passed:
            batch = services.pass_quality_check(batch, passed=quantity, location=location)
        return batch

    return make
