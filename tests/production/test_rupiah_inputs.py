"""Rupiah in the production console's forms is typed as staff write it: 25.000 is twenty-five thousand.

Found walking the production journey: a material's unit cost typed "25.000" was
read as Rp 25 (a number input and an IntegerField drop ".000" as decimals), so the
batch cost, the HPP and every premi on profit came out wrong without a word.
"""

import pytest

from galeri.production import forms


@pytest.mark.parametrize(
    "typed, amount", [("25.000", 25_000), ("Rp 25.000", 25_000), ("25000", 25_000), ("1.500.000", 1_500_000), ("0", 0)]
)
def test_material_unit_cost_reads_thousands_dots(typed, amount):
    form = forms.MaterialForm({"item": "Rotan", "quantity": "4", "unit_label": "ikat", "unit_cost": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit_cost"] == amount


@pytest.mark.parametrize("typed", ["25,5", "dua puluh", "-5.000", "99999999999999999999"])
def test_material_unit_cost_refuses_what_is_not_whole_rupiah(typed):
    form = forms.MaterialForm({"item": "Rotan", "quantity": "4", "unit_cost": typed})
    assert not form.is_valid()
    assert form.errors["unit_cost"]


def test_rupiah_inputs_are_text_so_the_browser_keeps_the_dots():
    html = str(forms.MaterialForm()["unit_cost"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html


def test_payout_and_labour_read_thousands_dots():
    form = forms.PayoutForm({"amount": "1.250.000", "paid_on": "2026-12-08", "method": forms.PayoutMethod.values[0]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 1_250_000
    refused = forms.PayoutForm({"amount": "0", "paid_on": "2026-12-08", "method": forms.PayoutMethod.values[0]})
    assert not refused.is_valid() and refused.errors["amount"]


def test_formset_rows_name_their_inputs_for_screen_readers():
    materials = forms.MaterialFormSet(prefix="bahan")
    assert 'aria-label="Harga satuan (Rp), baris 2"' in str(materials.forms[1]["unit_cost"])
    assert 'aria-label="Bahan, baris 1"' in str(materials.forms[0]["item"])
