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

Backward splits the records into the old rows again (``backward``).
"""

import re

from django.db import migrations

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


SOURCE_TYPES = {v: k for k, v in PAYABLE_TYPES.items()}


def backward(apps, schema_editor):
    """The records split back into the counter's old rows (0009's backward has added their columns
    again): sale payments, B-receipt lines and amounts, refund amounts and methods; the records
    the counter wrote are deleted, the things' own records leave the till."""
    Payment = apps.get_model("payments", "Payment")
    Sale = apps.get_model("pos", "Sale")
    SalePayment = apps.get_model("pos", "SalePayment")
    CounterPayment = apps.get_model("pos", "CounterPayment")
    CounterPaymentLine = apps.get_model("pos", "CounterPaymentLine")
    Refund = apps.get_model("pos", "Refund")

    for refund in Refund.objects.select_related("payment").filter(payment__isnull=False).iterator(chunk_size=500):
        refund.amount, refund.method = refund.payment.amount, refund.payment.method
        refund.payment = None
        refund.save(update_fields=["amount", "method", "payment"])
    for sale in Sale.objects.order_by("id").iterator(chunk_size=500):
        rows = list(Payment.objects.filter(payable_type="pos_sale", payable_id=sale.pk, kind="payment").order_by("id"))
        SalePayment.objects.bulk_create(
            [
                SalePayment(sale=sale, method=r.method, amount=r.amount, tendered=r.received_amount, change=r.change)
                for r in rows
            ]
        )
        sale.paid = sum(r.amount for r in rows)
        sale.change = sum(r.change for r in rows)
        sale.save(update_fields=["paid", "change"])
    Payment.objects.filter(payable_type="pos_sale", kind="refund").delete()
    Payment.objects.filter(payable_type="pos_sale").delete()
    for receipt in CounterPayment.objects.order_by("id").iterator(chunk_size=500):
        rows = list(Payment.objects.filter(counter_action_id=receipt.client_payment_id).order_by("id"))
        CounterPaymentLine.objects.bulk_create(
            [
                CounterPaymentLine(
                    counter_payment=receipt,
                    method=r.method,
                    amount=(r.received_amount or 0) - r.change,
                    tendered=r.received_amount or 0,
                    change=r.change,
                )
                for r in rows
            ]
        )
        receipt.amount = sum((r.received_amount or 0) - r.change for r in rows)
        receipt.change = sum(r.change for r in rows)
        receipt.source_type = SOURCE_TYPES.get(receipt.source_type, receipt.source_type)
        receipt.save(update_fields=["amount", "change", "source_type"])
    for row in Payment.objects.filter(counter_action_id__isnull=False):
        if row.change:
            row.received_amount, row.change = row.received_amount - row.change, 0
        row.counter_action_id = None
        row.till_session_id = None
        row.save(update_fields=["received_amount", "change", "counter_action_id", "till_session_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0007_refund_payment"),
        ("payments", "0005_counter_action_and_counter_methods"),
    ]

    operations = [migrations.RunPython(forward, backward)]
