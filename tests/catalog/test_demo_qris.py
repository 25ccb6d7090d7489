"""The demo's static QRIS are fictional merchants (issue 16: it was a real canteen's once) and
carry what a buyer checks before paying: merchant name, NMID and city."""

import re

from galeri.catalog.demo import data
from galeri.payments.instructions import merchant_of
from galeri.payments.qris import crc16, parse

# Real merchants the demo must never carry (the public test vector among them).
REAL = ("KANTIN", "LILIK", "JAKARTA", "COM.GO-JEK", "ID1019000002328")


def test_every_unit_has_its_own_fictional_qris_with_name_nmid_and_city():
    assert set(data.DEMO_QRIS_BY_UNIT) == {spec["code"] for spec in data.UPTS}
    merchants = {}
    for code, payload in data.DEMO_QRIS_BY_UNIT.items():
        qris = parse(payload)  # valid TLV, tag 63 last
        assert qris.crc == crc16(payload[:-4]) and qris.get("01") == "11" and qris.currency == "360"
        merchant = merchant_of(payload)
        assert merchant.name.startswith("GALERI KARYA ") and merchant.name.endswith(" AMBON"), merchant
        assert merchant.city == "AMBON"
        assert re.fullmatch(r"ID1026\d{9}", merchant.nmid), merchant
        assert ("00", "ID.CO.QRIS.WWW") in qris.template("51")  # the NMID where apps look for it
        assert not any(word in payload.upper() for word in REAL), code
        merchants[code] = merchant
    assert len({m.name for m in merchants.values()}) == len({m.nmid for m in merchants.values()}) == len(merchants)
