import pytest
from hypothesis import given
from hypothesis import strategies as st

from galeri.core.money import format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    "amount, shown",
    [
        (0, "Rp 0"),
        (500, "Rp 500"),
        (1_000, "Rp 1.000"),
        (25_000, "Rp 25.000"),
        (150_000, "Rp 150.000"),
        (1_250_000, "Rp 1.250.000"),
        (1_000_000_000, "Rp 1.000.000.000"),
        (-25_000, "-Rp 25.000"),
        (-500, "-Rp 500"),
        ("25000", "Rp 25.000"),
    ],
)
def test_format_rupiah(amount, shown):
    assert format_rupiah(amount) == shown


def test_format_rupiah_none_is_empty():
    assert format_rupiah(None) == ""


@pytest.mark.parametrize(
    "text, amount",
    [
        ("25.000", 25_000),
        ("Rp 25.000", 25_000),
        ("rp25.000", 25_000),
        ("RP 25.000", 25_000),
        ("  Rp 1.250.000 ", 1_250_000),
        ("25000", 25_000),
        ("0", 0),
        ("-Rp 25.000", -25_000),
        ("-25.000", -25_000),
        (25_000, 25_000),
    ],
)
def test_parse_rupiah(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", ["", "Rp", "dua puluh ribu", "25,5", "25.000,50", "12a", "Rp -", None, "1e5"])
def test_parse_rupiah_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_rupiah(text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_round_trip(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_shown_with_dots_every_three_digits(amount):
    shown = format_rupiah(amount)
    assert shown.startswith("Rp ")
    groups = shown.removeprefix("Rp ").split(".")
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])
    assert "".join(groups) == str(amount)
