"""Counter sales and online orders of the generated year, each line settled through the split engine."""

import datetime
import uuid
from collections import defaultdict

from django.db import connection

from galeri.core import counters
from galeri.core.dates import WIT
from galeri.core.models import Counter
from galeri.orders.models import Checkout, Order, OrderLine
from galeri.payments.models import Payment, PaymentKind, PaymentMethod, PaymentStatus
from galeri.pos.models import SALE_PAYABLE_TYPE, Sale, SaleLine, SessionStatus, TillSession
from galeri.production import allocation as calc
from galeri.production.models import Allocation, Reversal, Settlement, ShareKind
from galeri.reports.yeargen.rawload import adapt, next_id


class Sales:
    """Counter sales and online orders, part of YearGenerator."""

    def settle(self, unit_id, source_type, source_id, key, product_id, qty, revenue, at):
        """A settlement and its allocations, divided by the split engine under the rule in force
        (premi to one worker of the lot, as if they made the piece alone); 1 in 100 fully returned."""
        sid = self.sid
        self.sid += 1
        lot = self.lot_of.get(product_id)
        participant = self.rng.choice(lot[2]) if lot and lot[2] else None
        pieces = [calc.Piece(lot[0], qty, lot[1], ((participant, 1),) if participant else ())] if lot else []
        base_amount, rows = calc.allocate_line(revenue, pieces, self.shares, self.rule.base)
        stamp = adapt(at)
        self.tables["settlements"].add(
            sid,
            unit_id,
            "sale",
            source_type,
            str(source_id),
            str(key),
            product_id,
            qty,
            revenue,
            calc.line_hpp(pieces),
            self.rule.pk,
            base_amount,
            stamp,
            0,
            stamp,
        )
        self._book(sid, None, unit_id, rows, at, stamp)
        if self.rng.random() < 0.01:  # a full return a few days later
            back_at = at + datetime.timedelta(days=self.rng.randint(0, 6), hours=1)
            if back_at.year == self.year:
                rid = self.rid
                self.rid += 1
                back = adapt(back_at)
                self.tables["reversals"].add(rid, sid, qty, qty, back)
                self._book(sid, rid, unit_id, calc.reversal_rows(rows, qty, 0, qty), back_at, back)
                self.returned.append(sid)
                return qty
        return 0

    def _book(self, sid, rid, unit_id, rows, at, stamp):
        """Allocation rows as the engine gave them; premi owed per participant and PNBP due per month follow."""
        allocations = self.tables["allocations"]
        month = at.astimezone(WIT).month
        for row in rows:
            allocations.add(
                self.aid, sid, rid, unit_id, row.share_kind, row.share_name, row.lot_id, row.participant_id, row.amount, stamp
            )
            self.aid += 1
            if row.share_kind == ShareKind.PREMI and row.participant_id:
                self.premi[row.participant_id] += row.amount
            elif row.share_kind == ShareKind.PNBP:
                self.pnbp_due[(unit_id, month)] += row.amount

    def _settlement_tables(self):
        if "settlements" not in self.tables:
            self.table(
                "settlements",
                Settlement,
                [
                    "id",
                    "unit",
                    "kind",
                    "source_type",
                    "source_id",
                    "key",
                    "product",
                    "quantity",
                    "revenue",
                    "hpp",
                    "rule",
                    "base_amount",
                    "settled_at",
                    "reversed_quantity",
                    "created_at",
                ],
            )
            self.table(
                "allocations",
                Allocation,
                ["id", "settlement", "reversal", "unit", "share_kind", "share_name", "lot", "participant", "amount", "booked_at"],
            )
            self.table("reversals", Reversal, ["id", "settlement", "quantity", "returned_after", "created_at"])
            self.sid, self.aid, self.rid = next_id(Settlement), next_id(Allocation), next_id(Reversal)
            self.pnbp_due = defaultdict(int)
            self.returned = []

    def _day_weights(self):
        days = []
        day = datetime.date(self.year, 1, 1)
        while day.year == self.year:
            weight = 1.4 if day.weekday() == 5 else (0.6 if day.weekday() == 6 else 1.0)
            if day.month == 12:
                weight *= 1.5
            if day.month in (3, 4):  # Ramadan months of the year: quieter
                weight *= 0.85
            days.append((day, weight))
            day += datetime.timedelta(days=1)
        return days

    def counter_sales(self, line_count):
        rng = self.rng
        self._settlement_tables()
        sessions = self.table(
            "sessions",
            TillSession,
            [
                "id",
                "till",
                "opened_by",
                "opening_float",
                "opened_at",
                "closed_at",
                "closed_by",
                "expected_cash",
                "counted_cash",
                "difference",
                "status",
            ],
        )
        sales = self.table(
            "sales",
            Sale,
            [
                "id",
                "unit",
                "session",
                "client_sale_id",
                "receipt_number",
                "status",
                "subtotal",
                "discount",
                "total",
                "cashier",
                "created_at",
            ],
        )
        lines = self.table(
            "sale_lines",
            SaleLine,
            [
                "id",
                "sale",
                "position",
                "product",
                "name",
                "sku",
                "list_price",
                "unit_price",
                "quantity",
                "discount",
                "line_total",
                "refunded_quantity",
            ],
        )
        payments = self.table(
            "sale_payments",
            Payment,
            [
                "id",
                "unit",
                "payable_type",
                "payable_id",
                "reference",
                "kind",
                "method",
                "status",
                "amount",
                "received_amount",
                "change",
                "till_session_id",
                "counter_action_id",
                "confirmed_by",
                "confirmed_at",
            ],
        )
        days = self._day_weights()
        day_total = sum(w for _d, w in days)
        unit_total = sum(self.weights)
        session_id, sale_id, line_id, pay_id = next_id(TillSession), next_id(Sale), next_id(SaleLine), next_id(Payment)
        receipt = defaultdict(int)
        made = 0
        for day, day_weight in days:
            for index, unit in enumerate(self.units):
                target = line_count * day_weight / day_total * self.weights[index] / unit_total
                n_lines = int(target) + (1 if rng.random() < target - int(target) else 0)
                if not n_lines:
                    continue
                opened = datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=WIT)
                closed = datetime.datetime.combine(day, datetime.time(17, 30), tzinfo=WIT)
                cash_total = 0
                goods = self.products[unit.pk]
                hot = goods[: max(5, len(goods) // 5)]
                sale_rows = []
                while n_lines > 0:
                    k = min(n_lines, rng.choice((1, 1, 2, 2, 3, 4)))
                    n_lines -= k
                    at = self.when(day)
                    total = 0
                    receipt[unit.pk] += 1
                    this_sale = sale_id
                    sale_id += 1
                    chosen = set()
                    for position in range(1, k + 1):
                        pool = hot if rng.random() < 0.6 else goods
                        product_id, price, _slug = pool[rng.randrange(len(pool))]
                        if product_id in chosen:
                            product_id, price, _slug = goods[rng.randrange(len(goods))]
                        chosen.add(product_id)
                        qty = 1 if rng.random() < 0.8 else rng.randint(2, 4)
                        line_total = price * qty
                        total += line_total
                        returned = self.settle(unit.pk, "pos.sale", this_sale, line_id, product_id, qty, line_total, at)
                        lines.add(
                            line_id,
                            this_sale,
                            position,
                            product_id,
                            f"Produk {product_id}",
                            f"{unit.code}-{product_id:06d}",
                            price,
                            price,
                            qty,
                            0,
                            line_total,
                            returned,
                        )
                        line_id += 1
                        made += 1
                    method = PaymentMethod.CASH if rng.random() < 0.55 else PaymentMethod.QRIS
                    tendered = total if method != PaymentMethod.CASH else -(-total // 50_000) * 50_000
                    client_sale_id = uuid.UUID(int=rng.getrandbits(128))
                    if total:
                        payments.add(
                            pay_id,
                            unit.pk,
                            SALE_PAYABLE_TYPE,
                            this_sale,
                            f"{unit.code}-{self.tills[unit.pk].receipt_prefix}{receipt[unit.pk]:06d}",
                            PaymentKind.PAYMENT,
                            method,
                            PaymentStatus.CONFIRMED,
                            total,
                            tendered,
                            tendered - total,
                            session_id,
                            adapt(client_sale_id),
                            self.user.pk,
                            adapt(at),
                        )
                        pay_id += 1
                    if method == PaymentMethod.CASH:
                        cash_total += total
                    sale_rows.append((this_sale, receipt[unit.pk], total, client_sale_id, at))
                for this_sale, number, total, client_sale_id, at in sale_rows:
                    sales.add(
                        this_sale,
                        unit.pk,
                        session_id,
                        adapt(client_sale_id),
                        number,
                        "completed",
                        total,
                        0,
                        total,
                        self.user.pk,
                        adapt(at),
                    )
                sessions.add(
                    session_id,
                    self.tills[unit.pk].pk,
                    self.user.pk,
                    200_000,
                    adapt(opened),
                    adapt(closed),
                    self.user.pk,
                    200_000 + cash_total,
                    200_000 + cash_total,
                    0,
                    SessionStatus.CLOSED,
                )
                session_id += 1
                self.maybe_flush("sessions", "sales", "sale_lines", "sale_payments", "settlements", "allocations", "reversals")
            if day.day == 1:
                self.log(f"kasir {day:%Y-%m}: {made:,} baris")
        self.maybe_flush(
            "sessions", "sales", "sale_lines", "sale_payments", "settlements", "allocations", "reversals", force=True
        )
        for unit_id, last in receipt.items():  # a live sale continues the numbers, never repeats number 1
            Counter.objects.update_or_create(
                scope=counters.scope("pos.receipt", unit_id), period="", defaults={"last_number": last}
            )
        self.log(f"{sales.count:,} penjualan kasir, {lines.count:,} baris")

    def online_orders(self, count):
        rng = self.rng
        self._settlement_tables()
        checkouts = self.table("checkouts", Checkout, ["id", "reference", "idempotency_key", "created_at"])
        orders = self.table(
            "orders",
            Order,
            [
                "id",
                "checkout",
                "unit",
                "code",
                "status",
                "stock_state",
                "buyer_name",
                "buyer_phone",
                "consent_at",
                "fulfilment",
                "payment_method",
                "subtotal",
                "placed_at",
                "paid_at",
                "closed_at",
                "access_key",
            ],
        )
        lines = self.table(
            "order_lines",
            OrderLine,
            ["id", "order", "product", "product_name", "sku", "unit_price", "quantity", "from_stock", "returned_quantity"],
        )
        days = self._day_weights()
        weights = [w for _d, w in days]
        chosen_days = rng.choices([d for d, _w in days], weights=weights, k=count)
        chosen_units = rng.choices(self.units, weights=self.weights, k=count)
        cid, oid, lid = next_id(Checkout), next_id(Order), next_id(OrderLine)
        last_day = datetime.date(self.year, 12, 31)
        for _n, (day, unit) in enumerate(sorted(zip(chosen_days, chosen_units), key=lambda x: x[0])):
            placed = self.when(day, 0, 24)
            recent = (last_day - day).days < 7
            roll = rng.random()
            status = (
                ("baru" if roll < 0.3 else "dibayar" if roll < 0.6 else "diproses")
                if recent and roll < 0.8
                else ("selesai" if roll < 0.88 else "dibatalkan" if roll < 0.95 else "kedaluwarsa")
            )
            closed = (
                placed + datetime.timedelta(days=rng.randint(1, 4))
                if status in ("selesai", "dibatalkan", "kedaluwarsa")
                else None
            )
            if closed and closed.year != self.year:
                closed = placed + datetime.timedelta(hours=2)
            checkouts.add(cid, f"GK{self.year % 100:02d}{cid:07d}", adapt(uuid.UUID(int=rng.getrandbits(128))), adapt(placed))
            goods = self.products[unit.pk]
            subtotal = 0
            picked = rng.sample(goods, min(len(goods), rng.choice((1, 1, 2, 3))))
            for product_id, price, _slug in picked:
                qty = 1 if rng.random() < 0.85 else 2
                subtotal += price * qty
                returned = 0
                if status == "selesai":
                    returned = self.settle(unit.pk, "orders.order", oid, lid, product_id, qty, price * qty, closed)
                lines.add(
                    lid, oid, product_id, f"Produk {product_id}", f"{unit.code}-{product_id:06d}", price, qty, qty, returned
                )
                lid += 1
            orders.add(
                oid,
                cid,
                unit.pk,
                f"{unit.code}-{self.year % 100:02d}{oid:06d}",
                status,
                "none",
                "Pembeli Uji",
                "+6281200000000",
                adapt(placed),
                "ambil",
                PaymentMethod.QRIS,
                subtotal,
                adapt(placed),
                adapt(placed + datetime.timedelta(minutes=20)) if status != "baru" else None,
                adapt(closed) if closed else None,
                f"k{oid:010d}",
            )
            cid += 1
            oid += 1
            self.maybe_flush("checkouts", "orders", "order_lines", "settlements", "allocations", "reversals")
        self.maybe_flush("checkouts", "orders", "order_lines", "settlements", "allocations", "reversals", force=True)
        with connection.cursor() as cursor:
            table = Settlement._meta.db_table
            for start in range(0, len(self.returned), 900):
                ids = ", ".join(str(i) for i in self.returned[start : start + 900])
                cursor.execute(f"UPDATE {table} SET reversed_quantity = quantity WHERE id IN ({ids})")
        self.log(
            f"{orders.count:,} pesanan daring, {lines.count:,} baris; {self.tables['settlements'].count:,} penyelesaian, "
            f"{self.tables['allocations'].count:,} alokasi, {len(self.returned):,} retur"
        )
