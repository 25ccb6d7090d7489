"""The local simulated rate provider: deterministic prices, no network. The default, and what
``make run``'s demo uses (``SHIPPING_RATE_PROVIDER=simulated``).

Prices follow the weight charged (whole kilograms, actual or volumetric) and how far apart the
origin and destination are by their Kemendagri codes:

==============  ===============================================  ==========  ============
distance        when                                             base + /kg  days (REG)
==============  ===============================================  ==========  ============
same city       same kabupaten/kota ("81.71")                    9.000+4.000  1-2
same province   same province ("81": Maluku)                     18.000+9.000  2-4
neighbours      Maluku Utara, Papua, Sulawesi, Nusa Tenggara     32.000+22.000  3-6
far             Java, Sumatra, Kalimantan, Bali                  40.000+30.000  4-8
==============  ===============================================  ==========  ============

Couriers: ``jne`` (REG; YES next day, 1.8x, only within the province), ``pos`` (Pos Reguler,
0.9x, one day slower; "Kargo Laut" by ship for 5 kg and more outside the city: half the price,
7-14 days), ``sicepat`` (REG 0.95x), ``jnt`` (EZ 1.0x). A code it does not know gives no rate.
An area code that is not a Kemendagri code is refused like a real provider refuses it.
"""

from galeri.shipping.rates.base import Place, Rate, RateProvider, unknown_area, weight_bucket

# Province codes by region (the first digit of a Kemendagri province code is the island group).
NEIGHBOURS = {"82", "91", "92", "93", "94", "95", "96", "97", "71", "72", "73", "74", "75", "76", "51", "52", "53"}

TIERS = {
    "city": (9_000, 4_000, 1, 2),
    "province": (18_000, 9_000, 2, 4),
    "neighbours": (32_000, 22_000, 3, 6),
    "far": (40_000, 30_000, 4, 8),
}

COURIERS = {
    "jne": "JNE",
    "pos": "POS Indonesia",
    "sicepat": "SiCepat",
    "jnt": "J&T Express",
}


def tier(origin: Place, destination: Place) -> str:
    if origin.regency_code == destination.regency_code:
        return "city"
    if origin.province_code == destination.province_code:
        return "province"
    if destination.province_code in NEIGHBOURS:
        return "neighbours"
    return "far"


def _round(amount: float) -> int:
    """To the next Rp 500, as couriers publish."""
    return int(-(-amount // 500) * 500)


class SimulatedProvider(RateProvider):
    name = "simulated"
    label = "Simulasi (tanpa biaya sungguhan)"

    def quote(self, origin, destination, parcels, *, couriers=()):
        if not origin.is_valid() or not destination.is_valid():
            raise unknown_area()
        distance = tier(origin, destination)
        base, per_kg, low, high = TIERS[distance]
        kilos = weight_bucket(parcels)
        regular = base + per_kg * kilos
        rates = []
        for code in couriers or ("jne", "pos"):
            name = COURIERS.get(code)
            if name is None:
                continue
            if code == "jne":
                rates.append(self._rate(code, "REG", "Layanan Reguler", regular, low, high))
                if distance in ("city", "province"):
                    rates.append(self._rate(code, "YES", "Yakin Esok Sampai", regular * 1.8, 1, 1))
            elif code == "pos":
                rates.append(self._rate(code, "REG", "Pos Reguler", regular * 0.9, low + 1, high + 1))
                if kilos >= 5 and distance != "city":
                    rates.append(self._rate(code, "KARGO", "Kargo Laut", regular * 0.5, 7, 14, sea=True))
            elif code == "sicepat":
                rates.append(self._rate(code, "REG", "Reguler", regular * 0.95, low, high))
            elif code == "jnt":
                rates.append(self._rate(code, "EZ", "EZ (Reguler)", regular, low, high + 1))
        return rates

    def _rate(self, code, service, service_name, price, low, high, sea=False):
        return Rate(self.name, code, COURIERS[code], service, service_name, _round(price), low, high, sea)
