"""The text cleaners every buyer-facing form uses: one line stays one line (no control character,
whitespace collapsed), several lines keep newlines and tabs only."""

import unicodedata

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from galeri.core.forms import CleanCharField
from galeri.core.text import multi_line, single_line

HEADER_BREAKERS = "\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"


def _controls(text):
    return [c for c in text if unicodedata.category(c) in ("Cc", "Zl", "Zp")]


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("Budi\r\nBcc: x@y", "Budi Bcc: x@y"),
        ("  Maria \t Latuheru  ", "Maria Latuheru"),
        ("A\x00B\x1b[31mC", "AB[31mC"),
        ("Ina\u2028Ama\u0085Ade", "Ina Ama Ade"),
        ("Ré\u00a0Tanimbar", "Ré Tanimbar"),
        ("", ""),
        (None, ""),
    ],
)
def test_single_line(raw, clean):
    assert single_line(raw) == clean


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("Rumah pagar biru\r\ndekat masjid", "Rumah pagar biru\ndekat masjid"),
        ("a\rb\u2028c\u2029d\x85e", "a\nb\nc\nd\ne"),
        ("kolom\tdua\x00\x07\x1b", "kolom\tdua"),
        ("\n\n  isi  \n", "isi"),
    ],
)
def test_multi_line(raw, clean):
    assert multi_line(raw) == clean


@given(st.text())
def test_single_line_never_holds_a_line_break_or_control_character(text):
    cleaned = single_line(text)
    assert not _controls(cleaned)
    assert not any(c in cleaned for c in HEADER_BREAKERS)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert single_line(cleaned) == cleaned
    # Nothing but control characters and whitespace is lost.
    assert cleaned.replace(" ", "") == "".join(c for c in text if not c.isspace() and not _controls(c))


@given(st.text())
def test_multi_line_keeps_only_newline_and_tab(text):
    cleaned = multi_line(text)
    assert set(_controls(cleaned)) <= {"\n", "\t"}
    assert "\r" not in cleaned and cleaned == cleaned.strip()
    assert multi_line(cleaned) == cleaned


@given(st.text())
def test_the_form_field_cleans_by_its_widget(text):
    class Form(forms.Form):
        name = CleanCharField(required=False)
        note = CleanCharField(required=False, widget=forms.Textarea)

    form = Form({"name": text, "note": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == single_line(text)
    assert form.cleaned_data["note"] == multi_line(text)
