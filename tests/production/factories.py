"""Objects of a unit for the authorisation matrix (tests/units/test_authz_matrix.py).

Each carries the matrix's SECRET word where a page could show it, so a leak to
another unit's staff is caught.
"""

import datetime
from decimal import Decimal

from galeri.production import services
from galeri.production.models import ShareKind, SplitBase, WorkshopKind


def workshop(o, unit):
    secret = "RAHASIA"
    return o._once(
        ("p.workshop", unit.pk),
        lambda: services.save_workshop(unit=unit, name=f"Bengkel {secret} {unit.code}", kind=WorkshopKind.WEAVING),
    )


def participant(o, unit):
    return o._once(("p.participant", unit.pk), lambda: services.create_participant(unit, initials="R.H."))


def batch(o, unit):
    def build():
        return services.create_batch(
            workshop(o, unit),
            o.product(unit),
            quantity_made=3,
            started_on=datetime.date(2025, 1, 6),
            participants=[(participant(o, unit), Decimal("2"))],
            materials=[services.MaterialLine("Pandan RAHASIA", Decimal("1"), 1000)],
        )

    return o._once(("p.batch", unit.pk), build)


def rule(o, unit):
    return o._once(
        ("p.rule", unit.pk),
        lambda: services.create_split_rule(
            unit,
            valid_from=datetime.date(2020, 1, 1),
            legal_basis="Dasar RAHASIA",
            base=SplitBase.REVENUE,
            shares=[services.ShareInput(ShareKind.PREMI, "", Decimal(40)), services.ShareInput(ShareKind.PNBP, "", Decimal(60))],
        ),
    )


def _participant_kwargs(o, u):
    return {"pk": participant(o, u).pk}


OBJECTS = {
    "production:workshop_edit": lambda o, u: {"pk": workshop(o, u).pk},
    "production:participant_detail": _participant_kwargs,
    "production:participant_personal": _participant_kwargs,
    "production:participant_consent": _participant_kwargs,
    "production:certificate_add": _participant_kwargs,
    "production:skills_record": _participant_kwargs,
    "production:premi_ledger": _participant_kwargs,
    "production:premi_statement": lambda o, u: {"pk": participant(o, u).pk, "year": 2025, "month": 1},
    "production:batch_detail": lambda o, u: {"pk": batch(o, u).pk},
    "production:rule_end": lambda o, u: {"pk": rule(o, u).pk},
}
