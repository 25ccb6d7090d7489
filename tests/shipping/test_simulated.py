"""The simulated provider: deterministic prices by weight and distance between Kemendagri codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from galeri.shipping.rates import Parcel, Place, RateError
from galeri.shipping.rates.simulated import SimulatedProvider
from tests.shipping.kit import LAPAS, SAUMLAKI, SIRIMAU, SURABAYA, TENUN

sim = SimulatedProvider()


def jne_reg(destination, parcels=(TENUN,)):
    return next(r for r in sim.quote(LAPAS, destination, list(parcels), couriers=("jne",)) if r.service == "REG")


def test_further_islands_cost_more_and_take_longer():
    city, maluku, java = jne_reg(SIRIMAU), jne_reg(SAUMLAKI), jne_reg(SURABAYA)
    assert city.price < maluku.price < java.price
    assert (city.etd_min, city.etd_max) == (1, 2)
    assert (maluku.etd_min, maluku.etd_max) == (2, 4)
    assert (java.etd_min, java.etd_max) == (4, 8)


def test_the_same_question_gets_the_same_answer():
    assert sim.quote(LAPAS, SAUMLAKI, [TENUN], couriers=("jne", "pos")) == sim.quote(
        LAPAS, SAUMLAKI, [TENUN], couriers=("jne", "pos")
    )


def test_heavy_parcels_across_the_sea_may_go_by_ship():
    heavy = [Parcel(weight_grams=8000, length_cm=50, width_cm=40, height_cm=30)]
    services = {r.service: r for r in sim.quote(LAPAS, SAUMLAKI, heavy, couriers=("pos",))}
    assert services["KARGO"].sea and (services["KARGO"].etd_min, services["KARGO"].etd_max) == (7, 14)
    assert services["KARGO"].price < services["REG"].price


def test_unknown_couriers_give_no_rate_and_bad_codes_are_refused():
    assert sim.quote(LAPAS, SAUMLAKI, [TENUN], couriers=("kurirku",)) == []
    with pytest.raises(RateError) as error:
        sim.quote(LAPAS, Place("Ambon", "97126"), [TENUN])
    assert error.value.codes == ["rate_area"]


@given(st.integers(1, 29_000), st.integers(1, 29_000))
def test_more_weight_never_costs_less(a, b):
    light, heavy = sorted((a, b))
    assert jne_reg(SAUMLAKI, [Parcel(weight_grams=light)]).price <= jne_reg(SAUMLAKI, [Parcel(weight_grams=heavy)]).price
