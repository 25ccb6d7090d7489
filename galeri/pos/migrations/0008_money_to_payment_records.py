"""The counter's money rows become payment records (issue 16: one record for every rupiah).

- each ``SalePayment`` → a confirmed ``payments.Payment`` (payable ``pos_sale`` / the sale, amount,
  received = tendered, change, the sale's till session, ``counter_action_id`` = ``client_sale_id``,
  confirmed by the cashier at the sale's time, reference = the receipt code);
- each ``CounterPaymentLine`` → the thing's own confirmed payment record that the same money had
  already written (same payable, method and amount, not yet in a till), now naming the till session
  and ``counter_action_id`` = ``client_payment_id``; where none matches, a confirmed record of its
  own for that thing, so the till loses nothing. The receipt's ``source_type`` becomes the payable
  type (``orders.order`` → ``order``, ``bookings.booking`` → ``booking``, ``custom_orders.order``
  → ``custom_order``);
- each ``Refund`` with an amount → a confirmed refund record out of its till session
  (``Refund.payment``; ``refund_of`` the sale's one payment of that method, if one).

Forward only: going back would have to split records into the old rows again (``IrreversibleError``).
"""

import re

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

PAYABLE_TYPES = {"orders.order": "order", "bookings.booking": "booking", "custom_orders.order": "custom_order"}


def _payable_type(source_type):
    if source_type in PAYABLE_TYPES:
        return PAYABLE_TYPES[source_type]
    cleaned = re.sub(r"[^a-z0-9_]+", "_", (source_type or "").lower()).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "counter_" + cleaned
    return cleaned[:30]


def _receipt_code(unit_code, prefix, number):
    return f"{unit_code}-{prefix}{(number or 0):06d}"[:40]


def forward(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    Sale = apps.get_model("pos", "Sale")
    SalePayment = apps.get_model("pos", "SalePayment")
    CounterPayment = apps.get_model("pos", "CounterPayment")
    CounterPaymentLine = apps.get_model("pos", "CounterPaymentLine")
    Refund = apps.get_model("pos", "Refund")

    sale_rows = {}
    batch = []
    for line in SalePayment.objects.select_related("sale__unit").order_by("sale_id", "id").iterator(chunk_size=2000):
        sale = line.sale
        if line.amount <= 0:
            continue  # a Rp 0 part moved no money (a record needs an amount)
        batch.append(
            Payment(
                unit_id=sale.unit_id,
                payable_type="pos_sale",
                payable_id=sale.pk,
                reference=_receipt_code(sale.unit.code, sale.receipt_prefix, sale.receipt_number),
                kind="payment",
                method=line.method,
                status="confirmed",
                amount=line.amount,
                received_amount=line.tendered,
                change=line.change,
                till_session_id=sale.session_id,
                counter_action_id=sale.client_sale_id,
                confirmed_by_id=sale.cashier_id,
                confirmed_at=sale.created_at,
                note="",
            )
        )
        if len(batch) >= 2000:
            Payment.objects.bulk_create(batch)
            batch = []
    Payment.objects.bulk_create(batch)
    for row in Payment.objects.filter(payable_type="pos_sale", kind="payment").only("pk", "payable_id", "method"):
        sale_rows.setdefault((row.payable_id, row.method), []).append(row.pk)

    for receipt in CounterPayment.objects.select_related("unit").order_by("id").iterator(chunk_size=500):
        payable_type = _payable_type(receipt.source_type)
        for line in CounterPaymentLine.objects.filter(counter_payment=receipt).order_by("id"):
            taken = line.amount
            match = (
                Payment.objects.filter(
                    payable_type=payable_type,
                    payable_id=receipt.source_id,
                    kind="payment",
                    status="confirmed",
                    method=line.method,
                    till_session_id__isnull=True,
                    counter_action_id__isnull=True,
                    received_amount=taken,
                )
                .order_by("confirmed_at", "id")
                .first()
            )
            if match is not None:
                match.till_session_id = receipt.session_id
                match.counter_action_id = receipt.client_payment_id
                if line.tendered > taken and match.change == 0:
                    match.received_amount, match.change = line.tendered, line.tendered - taken
                match.save(update_fields=["till_session_id", "counter_action_id", "received_amount", "change"])
            elif taken > 0:
                Payment.objects.create(
                    unit_id=receipt.unit_id,
                    payable_type=payable_type,
                    payable_id=receipt.source_id,
                    reference=_receipt_code(receipt.unit.code, "B", receipt.receipt_number),
                    kind="payment",
                    method=line.method,
                    status="confirmed",
                    amount=taken,
                    received_amount=line.tendered,
                    change=line.change,
                    till_session_id=receipt.session_id,
                    counter_action_id=receipt.client_payment_id,
                    confirmed_by_id=receipt.cashier_id,
                    confirmed_at=receipt.created_at,
                    note=receipt.label[:200],
                )
        if receipt.source_type != payable_type:
            receipt.source_type = payable_type
            receipt.save(update_fields=["source_type"])

    for refund in Refund.objects.select_related("sale__unit").filter(amount__gt=0).order_by("id").iterator(chunk_size=500):
        sale = refund.sale
        returned = sale_rows.get((sale.pk, refund.method), [])
        refund.payment = Payment.objects.create(
            unit_id=sale.unit_id,
            payable_type="pos_sale",
            payable_id=sale.pk,
            reference=_receipt_code(sale.unit.code, sale.receipt_prefix, sale.receipt_number),
            kind="refund",
            method=refund.method,
            status="confirmed",
            amount=refund.amount,
            received_amount=refund.amount,
            change=0,
            till_session_id=refund.session_id,
            refund_of_id=returned[0] if len(returned) == 1 else None,
            confirmed_by_id=refund.approved_by_id or refund.created_by_id,
            confirmed_at=refund.created_at,
            note=refund.reason,
        )
        refund.save(update_fields=["payment"])


def backward(apps, schema_editor):
    raise IrreversibleError(
        "pos 0008 moved the counter's money rows (SalePayment, CounterPaymentLine, Refund.amount/method) into "
        "payments.Payment records; splitting them back is not supported. Restore a backup taken before this migration."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0007_refund_payment"),
        ("payments", "0005_counter_action_and_counter_methods"),
    ]

    operations = [migrations.RunPython(forward, backward)]
