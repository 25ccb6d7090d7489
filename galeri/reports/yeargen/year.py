"""The generator of a year: the state shared by its parts and the order they run in."""

import datetime
import random
import time

from django.core.management.base import CommandError
from django.db import connection, transaction

from galeri.catalog.models import Product
from galeri.core.dates import WIT
from galeri.inventory.models import StockLevel, StockLot
from galeri.orders.models import Checkout, Order, OrderLine
from galeri.payments.models import Payment
from galeri.pos.models import Sale, SaleLine, TillSession
from galeri.production.models import (
    Allocation,
    Attendance,
    Batch,
    BatchParticipant,
    Participant,
    PnbpDeposit,
    PremiPayout,
    Reversal,
    Settlement,
    TrainingSession,
    Workshop,
)
from galeri.reports import summaries
from galeri.reports.yeargen.money import Money
from galeri.reports.yeargen.people import PeopleAndStock
from galeri.reports.yeargen.rawload import CHUNK, RawMode, Table, flush, reset_sequences
from galeri.reports.yeargen.sales import Sales
from galeri.units.models import Unit


class YearGenerator(PeopleAndStock, Sales, Money):
    """One year for ``units`` UPTs under one Kanwil; ``stdout``/``style`` are the command's."""

    def __init__(self, *, year, seed, stdout, style):
        self.rng = random.Random(seed)
        self.year = year
        self.stdout = stdout
        self.style = style
        self.tables = {}

    def run(self, *, units, sale_lines, orders, participants, batches, products_per_unit):
        self.started = time.monotonic()
        if Unit.objects.filter(code="Y01").exists():
            raise CommandError("Data tahun sudah pernah dibuat di basis data ini (unit Y01 ada). Pakai basis data kosong.")
        self.setup(units, products_per_unit)
        with RawMode():
            self.people(participants)
            self.production(batches)
            self.counter_sales(sale_lines)
            self.online_orders(orders)
            self.training_and_money()
        reset_sequences(
            [
                Product,
                Workshop,
                Participant,
                Batch,
                BatchParticipant,
                StockLot,
                StockLevel,
                TillSession,
                Sale,
                SaleLine,
                Payment,
                Settlement,
                Allocation,
                Reversal,
                Checkout,
                Order,
                OrderLine,
                TrainingSession,
                Attendance,
                PremiPayout,
                PnbpDeposit,
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summaries.refresh(margin=datetime.timedelta(0))  # nothing else writes during the load
        self.log("ringkasan laporan dilipat")
        total = sum(t.count for t in self.tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai dalam {time.monotonic() - self.started:.0f} detik: {total:,} baris. "
                + ", ".join(f"{name} {t.count:,}" for name, t in self.tables.items())
            )
        )

    def log(self, text):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {text}")
        self.stdout.flush()

    def table(self, name, model, fields):
        self.tables[name] = Table(model, fields)
        return self.tables[name]

    def maybe_flush(self, *names, force=False):
        if force or any(len(self.tables[n].rows) >= CHUNK for n in names):
            with transaction.atomic():
                for n in names:
                    flush(self.tables[n])

    def when(self, day, opening=9, closing=17):
        """A random moment of the day's opening hours (WIT), as stored (UTC)."""
        seconds = self.rng.randrange(opening * 3600, closing * 3600)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=WIT) + datetime.timedelta(seconds=seconds)
