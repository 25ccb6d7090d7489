"""Applying a checked import: everything in one transaction, or nothing (ImportRejected)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.catalog import search
from galeri.catalog.imports.checking import (
    ImportReport,
    RowError,
    _chunks,
    _unique_slugs,
    check_import,
)
from galeri.catalog.imports.columns import BATCH
from galeri.catalog.models import PriceChange, PriceChangeStatus, Product
from galeri.catalog.services import refresh_search_fields
from galeri.core import clock, pagecache


class ImportRejected(Exception):
    def __init__(self, report):
        super().__init__("import rejected")
        self.report = report


def run_import(data: bytes, user, *, file_name: str = "") -> ImportReport:
    """Check again and write everything in one transaction, or nothing (ImportRejected)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    reason = (_("Impor berkas %(name)s") % {"name": file_name})[:100]
    try:
        with transaction.atomic():
            report, plan = check_import(data, user, lock=True)
            if not report.ok:
                raise ImportRejected(report)
            now = clock.now()
            _unique_slugs(plan.creates)
            for product in plan.creates + plan.updates:
                refresh_search_fields(product)
            if plan.creates:
                bulk_create_with_history(plan.creates, Product, batch_size=BATCH, default_user=user, default_change_reason=reason)
            if plan.updates:
                fields = sorted(plan.fields | {"search_title", "search_document", "updated_at"})
                bulk_update_with_history(
                    plan.updates, Product, fields, batch_size=BATCH, default_user=user, default_change_reason=reason
                )
            changes = []
            if plan.price_requests:
                ids = [p.pk for p, _old, _new in plan.price_requests]
                closing = []
                for chunk in _chunks(ids):
                    for change in PriceChange.objects.select_for_update().filter(
                        product_id__in=chunk, status=PriceChangeStatus.PENDING
                    ):
                        change.status = PriceChangeStatus.SUPERSEDED
                        change.decided_by = user
                        change.decided_at = now
                        change.note = _("Diganti pengajuan harga dari impor.")
                        closing.append(change)
                if closing:
                    bulk_update_with_history(
                        closing,
                        PriceChange,
                        ["status", "decided_by", "decided_at", "note"],
                        batch_size=BATCH,
                        default_user=user,
                        default_change_reason=reason,
                    )
                changes += [
                    PriceChange(product=p, old_price=old, new_price=new, requested_by=user, requested_at=now, reason=reason)
                    for p, old, new in plan.price_requests
                ]
            changes += [
                PriceChange(
                    product=p,
                    old_price=old,
                    new_price=new,
                    status=PriceChangeStatus.DIRECT,
                    requested_by=user,
                    requested_at=now,
                    decided_by=user,
                    decided_at=now,
                    reason=reason,
                )
                for p, old, new in plan.direct_prices
            ]
            if changes:
                bulk_create_with_history(changes, PriceChange, batch_size=BATCH, default_user=user, default_change_reason=reason)
            pagecache.touch("catalog", *[pagecache.product_scope(p.slug) for p in plan.updates])
    except IntegrityError:
        # Someone else took a SKU, barcode or slug between the check and the write.
        report = ImportReport()
        report.errors.append(
            RowError(
                0, "", _("Data berubah saat impor berjalan (SKU atau barcode baru dipakai orang lain). Periksa ulang berkas.")
            )
        )
        raise ImportRejected(report)
    search.forget_vocabulary()
    return report
