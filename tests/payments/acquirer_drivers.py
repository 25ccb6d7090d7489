"""One driver per provider: make a charge through the adapter (the provider's recorded answers on
the fake network) and write the notification the provider would send, good or forged."""

import datetime
import itertools
import json
import uuid

from galeri.core import clock
from galeri.payments import acquiring
from galeri.payments.qris import to_dynamic
from tests.payments import acquirer_kit as kit
from tests.payments.vectors import STATIC

_numbers = itertools.count(20261206130500)


class Driver:
    provider = ""
    forged_status = 401

    def __init__(self, network, account):
        self.network = network
        self.account = account

    def charge(self, payment, **kwargs):
        self.stub_charge(payment.amount)
        return acquiring.create_charge(payment, **kwargs)

    def deliver(self, headers, body):
        return acquiring.receive_notification(self.provider, headers, body)


class MidtransDriver(Driver):
    provider = "midtrans"

    def stub_charge(self, amount):
        def reply(request):
            details = request["transaction_details"]
            expiry = request["custom_expiry"]
            ordered = datetime.datetime.strptime(expiry["order_time"], "%Y-%m-%d %H:%M:%S %z")
            expires = ordered + datetime.timedelta(minutes=expiry["expiry_duration"])
            return kit.recorded(
                "midtrans",
                "charge_response",
                order_id=details["order_id"],
                gross_amount=f"{details['gross_amount']}.00",
                qr_string=to_dynamic(STATIC, details["gross_amount"]),
                expiry_time=expires.strftime("%Y-%m-%d %H:%M:%S"),
                transaction_id=str(uuid.uuid4()),
            )

        self.network.answer("POST", r"/v2/charge$", reply)

    def notification(self, charge, *, amount=None, forged=False, status="paid", paid_at=None):
        gross = f"{charge.amount if amount is None else amount}.00"
        name, code = ("notification_settlement", "200") if status == "paid" else ("notification_expire", "407")
        signature = kit.midtrans_signature(charge.reference, code, gross)
        if forged:
            signature = kit.midtrans_signature(charge.reference, code, gross, server_key="SB-Mid-server-someone-else")
        body = kit.recorded(
            "midtrans",
            name,
            order_id=charge.reference,
            gross_amount=gross,
            signature_key=signature,
            transaction_id=charge.provider_reference,
        )
        if status == "paid":
            paid_at = paid_at or clock.now()
            data = json.loads(body)
            data["settlement_time"] = paid_at.astimezone(datetime.timezone(datetime.timedelta(hours=7))).strftime(
                "%Y-%m-%d %H:%M:%S"
            )
            body = json.dumps(data).encode()
        return {"Content-Type": "application/json", "User-Agent": "Veritrans"}, body


class XenditDriver(Driver):
    provider = "xendit"
    forged_status = 403

    def stub_charge(self, amount):
        def reply(request):
            return kit.recorded(
                "xendit",
                "create_qr_response",
                reference_id=request["reference_id"],
                amount=request["amount"],
                qr_string=to_dynamic(STATIC, request["amount"]),
                expires_at=request["expires_at"],
                qr_id=f"qr_{uuid.uuid4()}",
            )

        self.network.answer("POST", r"/qr_codes$", reply)

    def notification(self, charge, *, amount=None, forged=False, status="paid", paid_at=None):
        body = kit.recorded(
            "xendit",
            "callback_succeeded",
            reference_id=charge.reference,
            amount=charge.amount if amount is None else amount,
            qr_string=charge.payload,
            qr_id=charge.provider_reference,
        )
        data = json.loads(body)
        if status != "paid":
            data["data"]["status"] = "FAILED"
        if status == "paid":
            paid_at = paid_at or clock.now()
            data["data"]["created"] = paid_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        body = json.dumps(data).encode()
        token = "cb-token-not-ours" if forged else kit.XENDIT_CALLBACK_TOKEN
        return {"Content-Type": "application/json", "x-callback-token": token, "webhook-id": "whk-1"}, body


class SnapDriver(Driver):
    provider = "snap"
    _external = [10_000]

    def stub_charge(self, amount):
        self.network.answer("POST", r"/authorization/v1/access-token/b2b$", kit.recorded("snap", "access_token_response"))

        def reply(request):
            value = int(request["amount"]["value"].split(".")[0])
            return kit.recorded(
                "snap",
                "generate_response",
                partnerReferenceNo=request["partnerReferenceNo"],
                referenceNo=f"A1{next(_numbers):014d}",
                qrContent=to_dynamic(STATIC, value),
            )

        self.network.answer("POST", r"/qr/qr-mpm-generate$", reply)

    def notification(self, charge, *, amount=None, forged=False, status="paid", paid_at=None, external_id=None, moment=None):
        body = kit.recorded(
            "snap",
            "notify_success",
            partnerReferenceNo=charge.reference,
            referenceNo=charge.provider_reference,
            value=f"{charge.amount if amount is None else amount}.00",
        )
        data = json.loads(body)
        if status != "paid":
            data["latestTransactionStatus"] = "06"
            data["transactionStatusDesc"] = "Failed"
        if status == "paid":
            paid_at = paid_at or clock.now()
            data["additionalInfo"]["paidTime"] = kit.wib(paid_at)
        body = json.dumps(data, indent=2).encode()  # as sent: pretty-printed; the signature is over the minified form
        self._external[0] += 1
        headers = kit.snap_headers(
            body,
            moment or kit.wib(clock.now()),
            external_id or f"4180755335895009318416218{self._external[0]:07d}",
            secret="not-the-client-secret" if forged else kit.SNAP_CLIENT_SECRET,
        )
        return headers, body


class SimulatedDriver(Driver):
    provider = "simulasi"

    def stub_charge(self, amount):
        pass  # the simulator needs no network

    def notification(self, charge, *, amount=None, forged=False, status="paid", paid_at=None):
        moment = kit.wib(paid_at or clock.now())
        body = kit.recorded(
            "simulasi",
            "notification_paid",
            reference=charge.reference,
            charge_id=charge.provider_reference,
            amount=charge.amount if amount is None else amount,
            paid_at=moment,
        )
        if status != "paid":
            body = body.replace(b'"paid"', f'"{status}"'.encode())
        return kit.simulated_headers(body, moment, "not-the-key" if forged else "sim-key-uji"), body


DRIVERS = {d.provider: d for d in (MidtransDriver, XenditDriver, SnapDriver, SimulatedDriver)}
