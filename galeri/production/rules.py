"""Writes about split rules (how the money of a sale is shared): create one, end one."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from galeri.production.base import (
    ProductionError,
    _day_start,
    _user,
)
from galeri.production.models import (
    Settlement,
    ShareKind,
    SplitBase,
    SplitRule,
    SplitShare,
)
from galeri.production.settlement import allocate_pending
from galeri.units.models import Unit


@dataclass(frozen=True)
class ShareInput:
    kind: str
    name: str
    percent: Decimal


@transaction.atomic
def create_split_rule(unit, *, valid_from, legal_basis, base, shares, valid_until=None, note="", user=None):
    """A split rule for ``unit`` from ``valid_from``: shares must add to exactly 100 percent and
    the period may not overlap another rule of the unit. Lines settled while no rule was in
    force and now covered are allocated in the same transaction."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # overlapping checks one at a time per unit
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ProductionError(_("Sebutkan dasar hukumnya (mis. nomor keputusan atau surat edaran)."), code="required")
    if base not in SplitBase.values:
        raise ProductionError(_("Dasar perhitungan harus pendapatan atau laba."), code="bad_base")
    if valid_until and valid_until < valid_from:
        raise ProductionError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="dates")
    rows = []
    for share in shares:
        try:
            percent = Decimal(str(share.percent))
        except (InvalidOperation, ValueError):
            raise ProductionError(_("Persen harus angka."), code="bad_percent")
        if not percent.is_finite() or percent <= 0 or percent > 100 or percent != percent.quantize(Decimal("0.01")):
            raise ProductionError(
                _("Setiap bagian harus lebih dari 0 dan paling banyak 100 persen (dua desimal)."), code="bad_percent"
            )
        if share.kind not in ShareKind.values:
            raise ProductionError(_("Jenis bagian tidak dikenal."), code="bad_kind")
        name = (share.name or "").strip() or ShareKind(share.kind).label
        rows.append((share.kind, name[:60], percent))
    if not rows:
        raise ProductionError(_("Aturan harus punya paling sedikit satu bagian."), code="no_shares")
    total = sum(p for _k, _n, p in rows)
    if total != 100:
        raise ProductionError(
            _("Jumlah semua bagian harus tepat 100%%, sekarang %(total)s%%.") % {"total": f"{total.normalize():f}"},
            code="not_100",
        )
    for kind in (ShareKind.PREMI, ShareKind.PNBP):
        if sum(1 for k, _n, _p in rows if k == kind) > 1:
            raise ProductionError(_("Bagian %(kind)s hanya boleh ada satu.") % {"kind": ShareKind(kind).label}, code="duplicate")
    if len({n.lower() for _k, n, _p in rows}) != len(rows):
        raise ProductionError(_("Nama bagian tidak boleh kembar."), code="duplicate")
    overlap = SplitRule.objects.filter(unit=unit).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until:
        overlap = overlap.filter(valid_from__lte=valid_until)
    clash = overlap.order_by("valid_from").first()
    if clash:
        raise ProductionError(
            _("Masa berlaku bertumpuk dengan aturan %(start)s s.d. %(end)s. Akhiri dulu aturan itu atau pilih tanggal lain.")
            % {
                "start": clash.valid_from.strftime("%d-%m-%Y"),
                "end": clash.valid_until.strftime("%d-%m-%Y") if clash.valid_until else _("seterusnya"),
            },
            code="overlap",
        )
    rule = SplitRule.objects.create(
        unit=unit,
        valid_from=valid_from,
        valid_until=valid_until,
        legal_basis=legal_basis[:300],
        base=base,
        note=(note or "").strip(),
        created_by=_user(user),
    )
    SplitShare.objects.bulk_create(
        [SplitShare(rule=rule, kind=k, name=n, percent=p, position=i) for i, (k, n, p) in enumerate(rows)]
    )
    allocate_pending(unit)
    return rule


@transaction.atomic
def end_split_rule(rule, valid_until):
    """Close an open rule (the day before a new one begins). Lines already settled under it after
    that day keep it: then the end date is refused."""
    rule = SplitRule.objects.select_for_update().get(pk=rule.pk)
    if valid_until < rule.valid_from:
        raise ProductionError(_("Tanggal akhir tidak boleh sebelum tanggal mulai."), code="dates")
    if rule.valid_until and valid_until > rule.valid_until:
        raise ProductionError(_("Aturan hanya bisa dipersingkat, tidak diperpanjang."), code="extend")
    used_after = Settlement.objects.filter(rule=rule, settled_at__gte=_day_start(valid_until + datetime.timedelta(days=1)))
    if used_after.exists():
        raise ProductionError(_("Sudah ada penjualan setelah tanggal itu yang dibagi dengan aturan ini."), code="in_use")
    rule.valid_until = valid_until
    rule.save(update_fields=["valid_until"])
    return rule
