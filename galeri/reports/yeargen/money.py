"""Training, premi payouts and PNBP deposits of the generated year."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction

from galeri.production.models import (
    Attendance,
    Participant,
    PnbpDeposit,
    PremiPayout,
    TrainingSession,
)
from galeri.reports.yeargen.people import KINDS
from galeri.reports.yeargen.rawload import adapt, next_id


class Money:
    """Training, premi payouts and PNBP deposits, part of YearGenerator."""

    def training_and_money(self):
        rng = self.rng
        sessions = self.table(
            "training", TrainingSession, ["id", "unit", "workshop", "skill", "topic", "held_on", "hours", "instructor"]
        )
        attendance = self.table("attendance", Attendance, ["id", "session", "participant", "hours"])
        payouts = self.table(
            "payouts", PremiPayout, ["id", "participant", "amount", "method", "paid_on", "reference", "recorded_by", "created_at"]
        )
        deposits = self.table(
            "deposits",
            PnbpDeposit,
            ["id", "unit", "period", "amount", "billing_code", "ntpn", "deposited_on", "recorded_by", "created_at"],
        )
        tid, aid = next_id(TrainingSession), next_id(Attendance)
        for unit in self.units:
            for month in range(1, 13):
                for workshop in self.workshops[unit.pk]:
                    held = datetime.date(self.year, month, rng.randint(1, 28))
                    hours = Decimal(rng.choice((2, 3, 4)))
                    sessions.add(
                        tid,
                        unit.pk,
                        workshop,
                        KINDS[self.workshops[unit.pk].index(workshop)],
                        "Pelatihan keterampilan",
                        adapt(held),
                        str(hours),
                        "Instruktur BLK",
                    )
                    for person in rng.sample(self.participants[unit.pk], min(8, len(self.participants[unit.pk]))):
                        attendance.add(aid, tid, person, str(hours))
                        aid += 1
                    tid += 1
        pid = next_id(PremiPayout)
        balances = {}
        for person, earned in self.premi.items():
            paid = 0
            for quarter in (3, 6, 9, 12):
                amount = (earned - paid) // 2
                if amount > 0 and rng.random() < 0.7:
                    day = datetime.date(self.year, quarter, 28)
                    payouts.add(pid, person, amount, "tabungan", adapt(day), f"BT-{pid}", self.user.pk, adapt(self.when(day)))
                    paid += amount
                    pid += 1
            balances[person] = earned - paid
        did = next_id(PnbpDeposit)
        for (unit_id, month), due in sorted(self.pnbp_due.items()):
            if month >= 11 or due <= 0:
                continue  # the last months are still to be deposited: outstanding
            day = datetime.date(self.year, month + 1, 10)
            deposits.add(
                did,
                unit_id,
                adapt(datetime.date(self.year, month, 1)),
                due,
                f"8{self.year % 100:02d}{did:012d}",
                f"N{self.year % 100:02d}{did:013d}",
                adapt(day),
                self.user.pk,
                adapt(self.when(day)),
            )
            did += 1
        self.maybe_flush("training", "attendance", "payouts", "deposits", force=True)
        with transaction.atomic(), connection.cursor() as cursor:
            table = Participant._meta.db_table
            by_amount = defaultdict(list)
            for person, balance in balances.items():
                by_amount[balance].append(person)
            for balance, people in by_amount.items():
                for start in range(0, len(people), 900):
                    cursor.execute(
                        f"UPDATE {table} SET premi_balance = %s WHERE id IN ({', '.join(str(p) for p in people[start : start + 900])})",
                        [balance],
                    )
        self.log(
            f"{sessions.count:,} sesi pelatihan, {attendance.count:,} kehadiran, {payouts.count:,} pembayaran premi, {deposits.count:,} setoran PNBP"
        )
