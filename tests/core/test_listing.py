"""One reader for a console list's query string: days, choices, text, numbers, sort and page."""

import datetime

import pytest
from django.http import QueryDict

from galeri.core.listing import MAX_ID, MAX_PAGE, ListParams


def read(query):
    return ListParams(QueryDict(query))


def test_days_follow_the_one_day_rule_and_say_what_was_ignored():
    params = read("dari=2026-11-01&sampai=9999-12-31&awal=0001-01-01&akhir=2026-02-30&x=%00")
    assert params.day("dari", "awal") == datetime.date(2026, 11, 1)
    assert params.day("sampai", "akhir") is None
    assert params.day("awal", message="Tanggal tidak dikenal: %(value)s", range_message="Di luar jangkauan: %(value)s") is None
    assert params.day("akhir", message="Tanggal tidak dikenal: %(value)s", range_message="Di luar jangkauan: %(value)s") is None
    assert params.day("x") is None
    assert params.day("kosong") is None
    assert params.problems == [
        "Tanggal akhir tidak dikenali dan diabaikan.",
        "Di luar jangkauan: 0001-01-01",
        "Tanggal tidak dikenal: 2026-02-30",
        "Tanggal  tidak dikenali dan diabaikan.",
    ]


def test_choices_from_an_allow_list():
    params = read("status=paid&cara=bitcoin")
    assert params.choice("status", ["paid", "new"]) == "paid"
    assert params.choice("cara", ["qris", "cash"], message="Cara bayar tidak dikenali.") == ""
    assert params.choice("jenis", ["a"], default="a") == "a"
    assert params.problems == ["Cara bayar tidak dikenali."]


def test_search_text_drops_control_characters_and_is_cut():
    params = read("q=%00tas%0A%09anyaman%1b  pandan&long=" + "x" * 200)
    assert params.text("q") == "tas anyaman pandan"
    assert params.text("long", 60) == "x" * 60
    assert params.text("missing") == ""


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("9" * 40, None),
        ("²", None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("", None),
    ],
)
def test_numbers_are_ids_that_fit_the_database(value, expected):
    assert read(f"unit={value}").number("unit") == expected


def test_sort_keys_from_an_allow_list():
    allowed = {"baru": ("-id",), "nama": ("name",)}
    assert read("urut=nama").sort("urut", allowed, "baru") == "nama"
    assert read("urut=-password").sort("urut", allowed, "baru") == "baru"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("3", 3),
        ("0", 1),
        ("-2", 1),
        ("x", 1),
        ("", 1),
        ("9" * 40, MAX_PAGE),
        ("²", 1),
        ("%00", 1),
    ],
)
def test_page_numbers_are_clamped(value, expected):
    assert read(f"hal={value}").page() == expected


def test_flags():
    assert read("low=1").flag("low") and not read("low=x").flag("low")
