"""The QRIS codec: the public test vector, exact round trips, and every malformed payload refused."""

import base64
import string

import pytest
import segno
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.payments import qris
from galeri.payments.qris import QrisError, crc16, parse, qr_svg, svg_data_uri, to_dynamic
from tests.payments.vectors import DYNAMIC_25000, STATIC

# A dynamic payload of the same merchant whose true CRC is 4AD5 (amount Rp 11.526).
DYNAMIC_11526 = (
    "00020101021226610014COM.GO-JEK.WWW01189360091435456007810210G5456007810303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10190000023280303UMI520458125303360540511526"
    "5802ID5916Kantin Ibu Lilik6013Jakarta Pusat61051031062070703A0163044AD5"
)


def build(fields, crc=None):
    """A payload from (tag, value) pairs with tag 63 appended (a correct CRC unless one is given)."""
    body = "".join(f"{tag}{len(value):02d}{value}" for tag, value in fields) + "6304"
    return body + (crc if crc is not None else crc16(body))


def fields_of(payload):
    return [(t, v) for t, v in parse(payload).fields if t != "63"]


# --- The public vector ----------------------------------------------------------------


def test_the_public_vector_becomes_exactly_the_expected_dynamic_payload():
    assert to_dynamic(STATIC, 25000) == DYNAMIC_25000


def test_crc_is_ccitt_false():
    assert crc16("123456789") == "29B1"  # the catalogue check value of CRC-16/CCITT-FALSE
    assert crc16(STATIC[:-4]) == "4C6B"
    assert crc16(DYNAMIC_25000[:-4]) == "C0C0"


def test_a_payload_with_the_wrong_crc_is_refused_naming_the_right_one():
    assert parse(DYNAMIC_11526).crc == "4AD5"
    with pytest.raises(QrisError) as caught:
        parse(DYNAMIC_11526[:-4] + "5C1C")
    assert "5C1C" in str(caught.value) and "4AD5" in str(caught.value)
    assert "tidak cocok" in str(caught.value)


def test_parsed_fields_and_properties():
    code = parse(STATIC)
    assert [t for t, _v in code.fields] == ["00", "01", "26", "51", "52", "53", "58", "59", "60", "61", "62", "63"]
    assert code.merchant_name == "Kantin Ibu Lilik"
    assert code.merchant_city == "Jakarta Pusat"
    assert (code.country, code.currency, code.postal_code, code.crc) == ("ID", "360", "10310", "4C6B")
    assert code.amount is None and code.is_dynamic is False
    assert code.template("26") == [("00", "COM.GO-JEK.WWW"), ("01", "936009143545600781"), ("02", "G545600781"), ("03", "UMI")]
    assert code.template("62") == [("07", "A01")]
    assert code.template("64") == []

    dynamic = parse(DYNAMIC_25000)
    assert dynamic.amount == 25000 and dynamic.is_dynamic is True
    assert "54" in dynamic and "54" not in code


@pytest.mark.parametrize("payload", [STATIC, DYNAMIC_25000, DYNAMIC_11526], ids=["static", "25000", "11526"])
def test_round_trip_is_exact(payload):
    code = parse(payload)
    assert code.payload == payload
    assert "".join(f"{t}{len(v):02d}{v}" for t, v in code.fields) == payload


# --- Every single-character corruption is refused ----------------------------------------

SUBSTITUTES = "0159AFZaz .-~"


@pytest.mark.parametrize("payload", [STATIC, DYNAMIC_25000], ids=["static", "dynamic"])
def test_every_single_character_corruption_is_refused(payload):
    checked = 0
    for i, original in enumerate(payload):
        variants = [payload[:i] + payload[i + 1 :]]  # deleted
        variants += [payload[:i] + c + payload[i + 1 :] for c in SUBSTITUTES if c != original]
        variants += [payload[:i] + c + payload[i:] for c in "0A "]  # inserted
        for broken in variants:
            with pytest.raises(QrisError):
                parse(broken)
            checked += 1
    assert checked > 15 * len(payload)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(STATIC) - 1),
    char=st.characters(min_codepoint=0, max_codepoint=0x2FFF),
)
def test_any_substituted_character_is_refused(position, char):
    if STATIC[position] == char:
        return
    with pytest.raises(QrisError):
        parse(STATIC[:position] + char + STATIC[position + 1 :])


# --- What parse refuses, one rule at a time --------------------------------------------------


@pytest.mark.parametrize("value", [None, b"000201", 12345, "", ["00", "01"]])
def test_not_a_string_or_empty(value):
    with pytest.raises(QrisError, match="kosong atau bukan teks"):
        parse(value)


def test_non_ascii_and_control_characters_are_refused_even_with_a_correct_crc():
    for name in ("Kantin Ibu Lilík", "Kantin\tIbu", "Kantin\x00Ibu", "Kantin\nIbu"):
        fields = [(t, name if t == "59" else v) for t, v in fields_of(STATIC)]
        with pytest.raises(QrisError, match="karakter tidak dikenal"):
            parse(build(fields))


def test_tags_and_lengths_must_be_digits():
    with pytest.raises(QrisError, match="tag “0A”"):
        parse("0002010A0211" + "6304ABCD")
    with pytest.raises(QrisError, match="panjang data tag 01"):
        parse("00020101A111" + "6304ABCD")


def test_a_value_running_past_the_end_is_refused():
    with pytest.raises(QrisError, match="melewati akhir"):
        parse("000201010211" + "5999Kantin")
    with pytest.raises(QrisError, match="terpotong"):
        parse("000201" + "630")
    with pytest.raises(QrisError, match="melewati akhir"):
        parse(STATIC[:-1])


def test_a_zero_length_field_is_refused():
    body = "000201" + "5900" + "6304"
    with pytest.raises(QrisError, match="tag 59 kosong"):
        parse(body + crc16(body))


def test_tag_00_must_come_first_with_value_01():
    fields = fields_of(STATIC)
    with pytest.raises(QrisError, match="tag 00"):
        parse(build(fields[1:]))  # missing
    with pytest.raises(QrisError, match="tag 00"):
        parse(build([fields[1], fields[0], *fields[2:]]))  # not first
    with pytest.raises(QrisError, match="tag 00"):
        parse(build([("00", "02"), *fields[1:]]))  # wrong version


def test_tag_63_must_be_last_and_four_upper_case_hex_digits():
    fields = fields_of(STATIC)
    # 63 in the middle (with a correct CRC for what precedes it), more fields after.
    head = build(fields[:3])
    with pytest.raises(QrisError, match="tag 63"):
        parse(head + "5802ID")
    # Missing altogether.
    body = "".join(f"{t}{len(v):02d}{v}" for t, v in fields)
    with pytest.raises(QrisError, match="tag 63"):
        parse(body)
    # Lower-case hex: the right CRC written the wrong way.
    with pytest.raises(QrisError, match="heksadesimal huruf besar"):
        parse(STATIC[:-4] + STATIC[-4:].lower())
    # Wrong length of the CRC field.
    short = body + "6303"
    with pytest.raises(QrisError, match="tag 63"):
        parse(short + crc16(short)[:3])


def test_duplicated_tags_and_bad_initiation_and_amounts_are_refused():
    fields = fields_of(STATIC)
    with pytest.raises(QrisError, match="lebih dari sekali"):
        parse(build([*fields[:-1], ("59", "Kantin Lain"), fields[-1]]))
    with pytest.raises(QrisError, match="tag 01"):
        parse(build([(t, "13" if t == "01" else v) for t, v in fields]))
    with_amount = lambda amount: build([*fields[:6], ("54", amount), *fields[6:]])  # noqa: E731
    assert parse(with_amount("25000")).amount == 25000
    assert parse(with_amount("25000.00")).amount == 25000
    with pytest.raises(QrisError, match="rupiah bulat"):
        parse(with_amount("25000.50"))
    with pytest.raises(QrisError, match="bukan angka"):
        parse(with_amount("25.000"))
    with pytest.raises(QrisError, match="bukan angka"):
        parse(with_amount("-5"))


def test_a_malformed_template_is_refused():
    fields = [(t, "0014COM.GO-JEK.WWW01" if t == "26" else v) for t, v in fields_of(STATIC)]
    with pytest.raises(QrisError, match="di dalam tag 26"):
        parse(build(fields))


def test_too_long_is_refused():
    fields = [*fields_of(STATIC)[:-1], *[(f"{80 + i}", "X" * 90) for i in range(4)], fields_of(STATIC)[-1]]
    with pytest.raises(QrisError, match="terlalu panjang"):
        parse(build(sorted(fields, key=lambda f: (f[0] != "00", f[0]))))


# --- to_dynamic ------------------------------------------------------------------------------------


def test_to_dynamic_is_idempotent_and_replaces_an_amount():
    assert to_dynamic(DYNAMIC_25000, 25000) == DYNAMIC_25000
    again = to_dynamic(DYNAMIC_25000, 150_123)
    assert parse(again).amount == 150_123
    assert to_dynamic(again, 25000) == DYNAMIC_25000


def test_to_dynamic_puts_the_amount_after_53_and_before_58_and_drops_tips():
    fields = fields_of(STATIC)
    i58 = [t for t, _v in fields].index("58")
    with_tip = build([*fields[:i58], ("55", "02"), ("56", "1000"), ("57", "5.5"), *fields[i58:]])
    result = parse(to_dynamic(with_tip, 25000))
    assert [t for t, _v in result.fields] == ["00", "01", "26", "51", "52", "53", "54", "58", "59", "60", "61", "62", "63"]
    assert to_dynamic(with_tip, 25000) == DYNAMIC_25000


def test_to_dynamic_adds_tag_01_when_missing():
    fields = [f for f in fields_of(STATIC) if f[0] != "01"]
    result = parse(to_dynamic(build(fields), 5000))
    assert result.fields[1] == ("01", "12")
    assert result.amount == 5000


def test_to_dynamic_refuses_a_code_for_another_currency():
    fields = [(t, "840" if t == "53" else v) for t, v in fields_of(STATIC)]
    with pytest.raises(QrisError, match="rupiah"):
        to_dynamic(build(fields), 25000)


@pytest.mark.parametrize("amount", [0, -1, 10**13, 25000.0, 1.5, "25000", None, True, False])
def test_bad_amounts_are_refused(amount):
    with pytest.raises(QrisError):
        to_dynamic(STATIC, amount)


def test_largest_amount_is_accepted():
    assert parse(to_dynamic(STATIC, qris.MAX_AMOUNT)).amount == 9_999_999_999_999


def test_to_dynamic_refuses_a_broken_payload():
    with pytest.raises(QrisError):
        to_dynamic(STATIC[:-4] + "0000", 25000)


@settings(max_examples=200)
@given(amount=st.integers(min_value=1, max_value=qris.MAX_AMOUNT))
def test_to_dynamic_keeps_everything_but_01_54_63(amount):
    result = parse(to_dynamic(STATIC, amount))
    assert result.amount == amount
    assert to_dynamic(result.payload, amount) == result.payload
    untouched = lambda code: [(t, v) for t, v in code.fields if t not in ("01", "54", "63")]  # noqa: E731
    assert untouched(result) == untouched(parse(STATIC))


# --- The QR code ------------------------------------------------------------------------------------


def test_qr_svg_is_embeddable_markup_with_a_title():
    svg = qr_svg(DYNAMIC_25000, title="QRIS <Lapas> & “Galeri”")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    assert "<title>QRIS &lt;Lapas&gt; &amp; “Galeri”</title>" in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<script" not in svg and "style=" not in svg
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    assert 300 <= width <= 600  # big enough for a phone screen, not a poster
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def test_qr_svg_encodes_the_payload_with_error_correction_m():
    svg = qr_svg(DYNAMIC_25000)
    expected = segno.make_qr(DYNAMIC_25000, error="m", boost_error=False)
    assert expected.error == "M"
    assert f'width="{expected.symbol_size(scale=6, border=4)[0]}"' in svg
    assert "<title>Kode QRIS</title>" in svg


def test_qr_svg_refuses_a_broken_payload():
    with pytest.raises(QrisError):
        qr_svg(STATIC.replace("Lilik", "Lilic"))


def test_messages_are_indonesian():
    for bad in ("", STATIC[:-1], STATIC[:-4] + "0000", "X" + STATIC[1:]):
        with pytest.raises(QrisError) as caught:
            parse(bad)
        assert "QRIS" in str(caught.value)
        assert not set(str(caught.value)) - set(string.printable + "“”")
