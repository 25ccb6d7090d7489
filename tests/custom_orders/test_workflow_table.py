"""The made-to-order workflow table (galeri/custom_orders/workflow.py) is the one rule: who may take
each step comes from its row, a step from a state the row does not start from changes nothing, and
the console's order page offers exactly the steps the table allows the user now."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from galeri.core.models import Actor
from galeri.core.timeline import of
from galeri.core.workflow import ANY, transition
from galeri.custom_orders import services
from galeri.custom_orders.models import CustomOrder, Status
from galeri.custom_orders.workflow import CUSTOM_ORDER
from galeri.payments.models import Payment
from galeri.units.scoping import can

pytestmark = pytest.mark.django_db

ROWS = CUSTOM_ORDER.transitions
ROLES = ["regional", "lapas_admin", "lapas_officer", "lapas_cashier", "lpp_admin", "lpp_officer", "nobody"]


def _outside(row):
    """A state the row does not start from (None when it starts from every state)."""
    return next((s for s in Status.values if not row.starts_from(s)), None)


def _put(order, status):
    CustomOrder.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def test_every_row_is_named_once_with_its_sources_in_the_status_list():
    assert len({row.action for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row.sources and all(s == ANY or s in Status.values for s in row.sources), row.action
        assert row.target is None or row.target in Status.values, row.action
        if Actor.STAFF in row.actors:
            assert row.permission, row.action


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.action)
def test_who_may_take_a_step_is_the_rows_permission(row, make_request, staff):
    """Staff: PermissionDenied exactly when the row is not a staff step or the user lacks its
    permission in the order's unit. The order waits in a state the row does not start from, so a
    permitted user meets the workflow's own refusal and nothing runs."""
    order = make_request()
    outside = _outside(row)
    if outside is not None:
        order = _put(order, outside)
    for role in ROLES:
        user = getattr(staff, role)
        may = Actor.STAFF in row.actors and can(user, row.permission, order.unit)
        if not may:
            with pytest.raises(PermissionDenied):
                transition(CUSTOM_ORDER, order, row.action, user=user)
        elif outside is not None:
            with pytest.raises(services.CustomOrderError) as refused:
                transition(CUSTOM_ORDER, order, row.action, user=user)
            assert refused.value.codes == ["wrong_step"], (row.action, role)
    # The buyer (on a signed link) may take exactly the rows that list them.
    if Actor.BUYER not in row.actors:
        with pytest.raises(PermissionDenied):
            transition(CUSTOM_ORDER, order, row.action, actor=Actor.BUYER)
    elif outside is not None:
        with pytest.raises(services.CustomOrderError):
            transition(CUSTOM_ORDER, order, row.action, actor=Actor.BUYER)
    order.refresh_from_db()
    assert order.status == (outside or Status.REQUESTED)
    assert of(order).count() == 1  # only the request's own event


@pytest.mark.parametrize("row", [r for r in ROWS if ANY not in r.sources], ids=lambda r: r.action)
def test_a_step_from_a_state_it_does_not_start_from_is_refused_and_changes_nothing(row, make_request, staff):
    order = make_request()
    actor = Actor.STAFF if Actor.STAFF in row.actors else Actor.BUYER
    user = staff.lapas_admin if actor == Actor.STAFF else None
    before = of(order).count()
    for state in Status.values:
        if row.starts_from(state):
            continue
        order = _put(order, state)
        with pytest.raises(services.CustomOrderError) as refused:
            transition(CUSTOM_ORDER, order, row.action, user=user, actor=actor)
        assert refused.value.codes == ["wrong_step"]
        assert order.get_status_display().lower() in refused.value.messages[0]
        order.refresh_from_db()
        assert order.status == state, (row.action, state)
        assert of(order).count() == before, (row.action, state)


def _actions_on_page(client, order):
    html = client.get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    return sorted(set(re.findall(r'data-action="([^"]+)"', html)))


def test_the_console_offers_exactly_the_steps_the_table_allows(client, login, staff, quoted, work):
    order, quote = quoted()
    login(client, staff.lapas_officer)
    assert _actions_on_page(client, order) == sorted(a for a, _l in CUSTOM_ORDER.actions(order, staff.lapas_officer))
    assert _actions_on_page(client, order) == ["batal", "tawarkan"]

    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=Payment.objects.get(), received_amount=11_500_000)
    # In production without a batch: "ready" waits for one (its guard); with money in, cancelling
    # is asked by staff and approved by another administrator (issue 16).
    for user, expected in [
        (staff.lapas_officer, ["bayar", "kaitkan_batch", "minta_batal"]),
        (staff.lapas_admin, ["bayar", "kaitkan_batch", "minta_batal"]),
        (staff.lapas_cashier, ["bayar"]),
    ]:
        login(client, user)
        assert sorted(a for a, _l in CUSTOM_ORDER.actions(order, user)) == expected
        assert _actions_on_page(client, order) == expected, user.username

    services.link_batch(order, staff.lapas_officer, work.batch)
    services.mark_ready(order, staff.lapas_officer)
    login(client, staff.lapas_officer)
    assert _actions_on_page(client, order) == ["bayar", "diambil", "diantar", "kaitkan_batch", "minta_batal"]
    html = client.get(f"/petugas/pesanan-khusus/{order.pk}/").content.decode()
    assert "Sudah diambil pemesan" in html and "Sudah diantar" in html


def test_the_timeline_words_each_step_for_people(quoted, staff, work):
    order, quote = quoted()
    services.accept_quote(quote, method="qris")
    services.record_payment(order, staff.lapas_officer, payment=Payment.objects.get(), received_amount=11_500_000)
    services.link_batch(order, staff.lapas_officer, work.batch)
    services.mark_ready(order, staff.lapas_officer, note="Rangka dipelitur")
    events = list(order.events.all())
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("", "", "diminta"),
        ("tawarkan", "diminta", "ditawarkan"),
        ("terima", "ditawarkan", "menunggu_dp"),
        ("bayar", "menunggu_dp", "diproduksi"),
        ("kaitkan_batch", "diproduksi", "diproduksi"),
        ("siap", "diproduksi", "siap"),
    ]
    assert [e.label for e in events] == [
        "Permintaan diterima",
        "Penawaran versi 1 dikirim",
        "Penawaran diterima",
        "Uang muka Rp 11.500.000 diterima (QRIS); pesanan masuk produksi",
        f"Batch produksi {work.batch.code} dikaitkan",
        "Siap diserahkan",
    ]
    assert [e.actor for e in events] == [Actor.BUYER, Actor.STAFF, Actor.BUYER, Actor.STAFF, Actor.STAFF, Actor.STAFF]
    assert events[-1].note == "Rangka dipelitur" and events[-1].user == staff.lapas_officer
