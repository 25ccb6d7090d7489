"""Reconciliation: a provider's settlement report (recorded CSV) against our confirmed charges."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.payments import reconciliation
from galeri.payments.models import ChargeStatus
from tests.helpers import response_bytes
from tests.payments.acquirer_kit import RECORDED
from tests.payments.reconcile_kit import REPORTS, at, charge, our_side

pytestmark = pytest.mark.django_db


def _report(provider) -> bytes:
    return (RECORDED / REPORTS[provider]).read_bytes()


@pytest.fixture
def lpp(unit_tree):
    unit = unit_tree.lpp
    from tests.payments.vectors import STATIC

    unit.qris_payload = STATIC
    unit.save()
    return unit


@pytest.mark.parametrize("provider", sorted(REPORTS))
def test_each_providers_report_gives_matched_differs_missing_and_extra(provider, acquirer_account, make_payment, upt, lpp):
    our_side(provider, acquirer_account, make_payment, other_unit=lpp)

    report = reconciliation.read_report(provider, _report(provider))
    result = reconciliation.reconcile(upt, provider, report.rows, skipped=report.skipped)

    refs = {kind: [line.reference for line in result.of(kind)] for kind in reconciliation.KINDS}
    assert refs == {
        "matched": ["LPA-2611-0001-a1b2c3"],
        "differs": ["LPA-2611-0002-d4e5f6"],
        "missing": ["LPA-2611-0003-abcdef"],
        "extra": ["LPA-2611-0009-0f0f0f"],
    }
    differs = result.of("differs")[0]
    assert (differs.ours, differs.theirs) == (75_000, 70_000) and "-Rp 5.000" in differs.note.replace("−", "-")
    assert result.total("missing", "ours") == 30_000 and result.total("extra", "theirs") == 20_000
    assert result.skipped == (0 if provider == "snap" else 1)
    assert (result.start.isoformat(), result.end.isoformat()) == ("2026-11-28", "2026-11-28")
    assert not result.clean


def test_a_flagged_charge_in_the_report_is_extra_with_the_reason(acquirer_account, make_payment, upt):
    account = acquirer_account("midtrans")
    charge(
        account,
        make_payment(20_000),
        "LPA-2611-0009-0f0f0f",
        status=ChargeStatus.FLAGGED,
        paid=20_000,
        paid_at=at(15, 0),
        flag_reason="Dibayar setelah kode QRIS kedaluwarsa.",
    )
    report = reconciliation.read_report("midtrans", _report("midtrans"))
    result = reconciliation.reconcile(upt, "midtrans", report.rows)
    extra = {line.reference: line for line in result.of("extra")}["LPA-2611-0009-0f0f0f"]
    assert "ditandai perlu diperiksa" in extra.note and "kedaluwarsa" in extra.note


def test_our_own_shape_matches_by_the_providers_reference_too(acquirer_account, make_payment, upt):
    account = acquirer_account("snap")
    made = charge(account, make_payment(150_000), "LPA-2611-0001-a1b2c3", paid=150_000, paid_at=at(12, 4))
    made.provider_reference = "A1201"
    made.save()
    csv = b"provider_reference,amount,paid_at\nA1201,150000,2026-11-28 14:04:00\n"
    result = reconciliation.reconcile(upt, "snap", reconciliation.read_report("snap", csv).rows)
    assert [line.reference for line in result.of("matched")] == ["LPA-2611-0001-a1b2c3"] and result.clean


def test_a_given_period_leaves_rows_outside_it(acquirer_account, make_payment, upt):
    import datetime

    our_side("midtrans", acquirer_account, make_payment)
    report = reconciliation.read_report("midtrans", _report("midtrans"))
    result = reconciliation.reconcile(upt, "midtrans", report.rows, datetime.date(2026, 11, 29), datetime.date(2026, 11, 30))
    assert result.outside == 3 and result.all_lines == []


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"", "kosong"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "bukan CSV"),
        (b"nama,umur\nBudi,30\n", "tidak ditemukan"),
        (b"reference,amount,paid_at\nX-1,seratus,2026-11-28 10:00\n", "baris 2: jumlah tidak terbaca"),
        (b"reference,amount,paid_at\nX-1,100.50,2026-11-28 10:00\n", "jumlah tidak terbaca"),
        (b"reference,amount,paid_at\nX-1,100,kemarin\n", "waktu bayar tidak terbaca"),
        (b"reference,amount,paid_at\n,100,2026-11-28 10:00\n", "referensi kosong"),
        (b"a" * (reconciliation.MAX_BYTES + 1), "terlalu besar"),
    ],
)
def test_bad_reports_are_refused_with_a_clear_message(data, expected):
    with pytest.raises(reconciliation.ReportError) as refused:
        reconciliation.read_report("snap", data)
    assert expected in refused.value.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: ("reference,amount,paid_at\n" + t).encode()))
def test_any_bytes_are_read_or_refused_never_crash(data):
    try:
        report = reconciliation.read_report("midtrans", data)
    except reconciliation.ReportError as exc:
        assert exc.text
    else:
        assert all(row.amount > 0 for row in report.rows)


# --- The page ---------------------------------------------------------------------------------


def _upload(client, provider, data, unit, **extra):
    report = SimpleUploadedFile("laporan.csv", data, content_type="text/csv")
    return client.post(reverse("payments_console:reconcile"), {"unit": unit.pk, "provider": provider, "report": report} | extra)


def test_an_admin_uploads_the_report_and_reads_the_lists_and_exports(staff, signed_in, acquirer_account, make_payment, upt):
    our_side("xendit", acquirer_account, make_payment)
    client = signed_in(staff.lapas_admin)

    response = _upload(client, "xendit", _report("xendit"), upt)

    assert response.status_code == 302 and "hasil=" in response.url
    page = client.get(response.url).content.decode()
    for text in (
        "Jumlah berbeda (1)",
        "Kita konfirmasi, tidak ada di laporan (1)",
        "Cocok (1)",
        "LPA-2611-0009-0f0f0f",
        "Rp 30.000",
    ):
        assert text in page
    key = response.url.split("hasil=")[1]
    xlsx = client.get(reverse("payments_console:reconcile_export"), {"hasil": key, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response_bytes(xlsx))).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert len(cells) == 5 and {"LPA-2611-0003-abcdef", "LPA-2611-0009-0f0f0f"} <= {row[1] for row in cells}
    csv = response_bytes(client.get(reverse("payments_console:reconcile_export"), {"hasil": key, "format": "csv"})).decode(
        "utf-8-sig"
    )
    assert "Jumlah berbeda,LPA-2611-0002-d4e5f6" in csv


def test_bad_uploads_answer_400_with_the_message(staff, signed_in, upt):
    client = signed_in(staff.lapas_admin)
    response = _upload(client, "midtrans", b"nama,umur\nBudi,30\n", upt)
    assert response.status_code == 400 and "tidak ditemukan di baris judul" in response.content.decode()
    response = _upload(client, "midtrans", b"a" * (reconciliation.MAX_BYTES + 10), upt)
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.binary(max_size=300), provider=st.sampled_from(sorted(REPORTS)))
def test_fuzzed_uploads_never_500(staff, signed_in, upt, data, provider):
    response = _upload(signed_in(staff.lapas_admin), provider, data, upt)
    assert response.status_code in (302, 400)


def test_other_units_and_roles_cannot_reconcile_lapas(staff, signed_in, acquirer_account, make_payment, upt):
    our_side("midtrans", acquirer_account, make_payment)
    assert _upload(signed_in(staff.lpp_admin), "midtrans", _report("midtrans"), upt).status_code == 400  # not a choice
    for user in (staff.lapas_cashier, staff.lapas_officer):
        assert _upload(signed_in(user), "midtrans", _report("midtrans"), upt).status_code == 403
    # A result kept in one session is not readable from another user's.
    admin = signed_in(staff.lapas_admin)
    key = _upload(admin, "midtrans", _report("midtrans"), upt).url.split("hasil=")[1]
    other = signed_in(staff.lpp_admin)
    assert other.get(reverse("payments_console:reconcile_export"), {"hasil": key}).status_code == 302


# --- The command ------------------------------------------------------------------------------


def test_the_command_prints_the_lists_and_fails_when_anything_differs(acquirer_account, make_payment, upt, tmp_path, capsys):
    our_side("midtrans", acquirer_account, make_payment)
    out = tmp_path / "hasil.csv"
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile_payments", "midtrans", str(RECORDED / REPORTS["midtrans"]), "--unit", "LPA", "--csv", str(out))
    assert exit_.value.code == 1
    printed = capsys.readouterr().out
    assert "Cocok: 1" in printed and "Tidak ada di laporan: 1" in printed and "LPA-2611-0009-0f0f0f" in printed
    assert "LPA-2611-0003-abcdef" in out.read_text()


def test_the_command_refuses_a_bad_file_with_the_message(upt, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "x.csv"
    bad.write_bytes(b"nama\nBudi\n")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("reconcile_payments", "xendit", str(bad), "--unit", "LPA")
    with pytest.raises(CommandError, match="Unit"):
        call_command("reconcile_payments", "xendit", str(bad), "--unit", "XXX")
