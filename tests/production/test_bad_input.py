"""Bad input is refused with a clear message, and nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from galeri.inventory.models import StockLot, StockMovement
from galeri.production import services
from galeri.production.models import Batch, PnbpDeposit, PremiPayout, ShareKind, SplitBase, SplitRule

pytestmark = pytest.mark.django_db


def shares(*pairs):
    return [services.ShareInput(k, "", Decimal(str(p))) for k, p in pairs]


def test_percentages_must_add_to_100(upt):
    with pytest.raises(services.ProductionError, match="tepat 100%, sekarang 99.5%"):
        services.create_split_rule(
            upt,
            valid_from=datetime.date(2025, 1, 1),
            legal_basis="SE 2010",
            base=SplitBase.PROFIT,
            shares=shares((ShareKind.PREMI, 50), (ShareKind.PNBP, "49.5")),
        )
    assert not SplitRule.objects.exists()


def test_overlapping_periods_are_refused(upt, make_rule):
    make_rule(upt, valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2025, 12, 31))
    for start, end in ((datetime.date(2025, 6, 1), None), (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1))):
        with pytest.raises(services.ProductionError, match="bertumpuk"):
            make_rule(upt, valid_from=start, valid_until=end)
    assert SplitRule.objects.count() == 1
    make_rule(upt, valid_from=datetime.date(2026, 1, 1))  # right after: fine


def test_a_rule_needs_a_legal_basis(upt):
    with pytest.raises(services.ProductionError, match="dasar hukum"):
        services.create_split_rule(
            upt,
            valid_from=datetime.date(2025, 1, 1),
            legal_basis=" ",
            base=SplitBase.REVENUE,
            shares=shares((ShareKind.PREMI, 100)),
        )


def test_a_batch_needs_participants_with_hours(places, stocked, make_workshop, make_participant):
    product = stocked(places.lapas.galeri, 0)
    workshop = make_workshop(places.lapas.unit)
    with pytest.raises(services.ProductionError, match="paling sedikit satu peserta"):
        services.create_batch(workshop, product, quantity_made=5, started_on=datetime.date(2025, 1, 1), participants=[])
    p = make_participant(places.lapas.unit)
    with pytest.raises(services.ProductionError, match=f"Jam {p.code} harus lebih dari nol"):
        services.create_batch(workshop, product, quantity_made=5, started_on=datetime.date(2025, 1, 1), participants=[(p, 0)])
    other = make_participant(places.lpp.unit)
    with pytest.raises(services.ProductionError, match="unit yang sama"):
        services.create_batch(workshop, product, quantity_made=5, started_on=datetime.date(2025, 1, 1), participants=[(other, 2)])
    assert not Batch.objects.exists()


def test_quality_check_must_account_for_every_piece(places, stocked, make_participant, make_batch):
    product = stocked(places.lapas.galeri, 0)
    batch = make_batch(product, places.lapas.galeri, [(make_participant(places.lapas.unit), 3)], quantity=5, passed=False)
    with pytest.raises(services.ProductionError, match="berjumlah 5"):
        services.pass_quality_check(batch, passed=3, rejected=1, reject_reason="jahitan lepas", location=places.lapas.galeri)
    with pytest.raises(services.ProductionError, match="alasan"):
        services.pass_quality_check(batch, passed=3, rejected=2, location=places.lapas.galeri)
    with pytest.raises(services.ProductionError, match="bukan milik unit"):
        services.pass_quality_check(batch, passed=5, location=places.lpp.galeri)
    assert not StockLot.objects.exists() and not StockMovement.objects.filter(reason="production").exists()
    batch = services.pass_quality_check(
        batch, passed=4, rejected=1, reject_reason="anyaman longgar", location=places.lapas.galeri
    )
    assert batch.unit_cost == 25_000  # 100.000 over the 4 good pieces
    with pytest.raises(services.ProductionError, match="sudah diperiksa"):
        services.pass_quality_check(batch, passed=4, rejected=1, reject_reason="x", location=places.lapas.galeri)


def test_no_payout_above_the_balance(places, make_participant):
    p = make_participant(places.lapas.unit)
    with pytest.raises(services.ProductionError, match=r"melebihi saldo premi .* \(Rp 0\)"):
        services.record_payout(p, amount=1, method="tunai", paid_on=timezone.localdate())
    assert not PremiPayout.objects.exists()
    p.refresh_from_db()
    assert p.premi_balance == 0


def test_pnbp_deposit_checks(places, unit_tree):
    unit = places.lapas.unit
    today = timezone.localdate()
    with pytest.raises(services.ProductionError, match="15 angka"):
        services.record_pnbp_deposit(
            unit, period=today, amount=1000, billing_code="123", ntpn="ABCDEF0123456789", deposited_on=today
        )
    with pytest.raises(services.ProductionError, match="melebihi PNBP terutang"):
        services.record_pnbp_deposit(
            unit, period=today, amount=1000, billing_code="820250101234567", ntpn="ABCDEF0123456789", deposited_on=today
        )
    assert not PnbpDeposit.objects.exists()


def test_initials_are_not_names(places):
    with pytest.raises(services.ProductionError, match="Inisial"):
        services.create_participant(places.lapas.unit, initials="Yohanis Matulessy")
