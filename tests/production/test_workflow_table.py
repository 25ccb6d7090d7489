"""The production batch's workflow table (``galeri/production/workflow.py``): who may take each
step is the table's permission, a step from a state not in its sources changes nothing, and the
batch page offers exactly the steps the table allows, with the batch's history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.inventory.models import StockLot, StockMovement
from galeri.production import services
from galeri.production.models import Batch, BatchStatus
from galeri.production.workflow import BATCH
from galeri.units.scoping import can

pytestmark = pytest.mark.django_db

ROLES = ("regional", "lapas_admin", "lapas_officer", "lapas_cashier", "lpp_admin", "lpp_officer", "nobody")
STATES = tuple(BatchStatus.values)
# what each step needs besides the batch: the QC's counts and the stock location
PARAMS = {"qc": lambda places: {"passed": 4, "rejected": 1, "reject_reason": "anyaman longgar", "location": places.lapas.galeri}}


@pytest.fixture
def batch(places, stocked, make_participant, make_batch):
    product = stocked(places.lapas.galeri, 0)
    return make_batch(product, places.lapas.galeri, [(make_participant(places.lapas.unit), 3)], quantity=5, passed=False)


def _in_state(batch, state):
    Batch.objects.filter(pk=batch.pk).update(status=state)
    batch.refresh_from_db()
    return batch


def test_every_step_of_the_table_has_its_params_here():
    assert {row.action for row in BATCH.transitions} == set(PARAMS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", BATCH.transitions, ids=lambda row: row.action)
def test_who_may_take_a_step_is_the_tables_permission(row, role, staff, batch, places):
    user = getattr(staff, role)
    batch = _in_state(batch, row.sources[0])
    before = timeline.of(batch).count()
    if can(user, row.permission, batch.unit):
        done = transition(BATCH, batch, row.action, user=user, **PARAMS[row.action](places))
        assert done.status == row.target
        assert timeline.of(batch).count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            transition(BATCH, batch, row.action, user=user, **PARAMS[row.action](places))
        batch.refresh_from_db()
        assert batch.status == row.sources[0] and timeline.of(batch).count() == before


@pytest.mark.parametrize(
    ("row", "state"),
    [(row, state) for row in BATCH.transitions for state in STATES if not row.starts_from(state)],
    ids=lambda value: getattr(value, "action", value),
)
def test_a_step_from_another_state_is_refused_and_changes_nothing(row, state, staff, batch, places):
    batch = _in_state(batch, state)
    before = timeline.of(batch).count()
    with pytest.raises(services.ProductionError) as refused:
        transition(BATCH, batch, row.action, user=staff.lapas_admin, **PARAMS[row.action](places))
    assert refused.value.codes == ["checked"]
    batch.refresh_from_db()
    assert batch.status == state and batch.lot_id is None and batch.qc_passed is None
    assert timeline.of(batch).count() == before
    assert not StockLot.objects.exists() and not StockMovement.objects.filter(reason="production").exists()


def test_the_history_tells_the_batch_from_its_recording_to_its_qc(batch, staff, places):
    services.pass_quality_check(
        batch, passed=4, rejected=1, reject_reason="anyaman longgar", location=places.lapas.galeri, user=staff.lapas_officer
    )
    recorded, checked = timeline.events_of(batch)
    assert (recorded.label, recorded.to_state, recorded.actor) == ("Batch dicatat: 5 barang dibuat", "open", Actor.SYSTEM)
    assert (checked.action, checked.from_state, checked.to_state) == ("qc", "open", "checked")
    assert (checked.label, checked.note) == ("QC: 4 lulus, 1 ditolak", "anyaman longgar")
    assert (checked.actor, checked.user) == (Actor.STAFF, staff.lapas_officer)


def test_a_batch_recorded_in_the_console_starts_its_history_with_who_recorded_it(
    places, stocked, make_participant, make_workshop, staff
):
    product = stocked(places.lapas.galeri, 0)
    made = services.create_batch(
        make_workshop(places.lapas.unit),
        product,
        quantity_made=2,
        started_on=datetime.date(2025, 1, 6),
        participants=[(make_participant(places.lapas.unit), 1)],
        user=staff.lapas_officer,
    )
    (event,) = timeline.events_of(made)
    assert (event.actor, event.user, event.to_state) == (Actor.STAFF, staff.lapas_officer, "open")


def _qc_form_shown(client, batch):
    page = client.get(reverse("production:batch_detail", args=[batch.pk]))
    assert page.status_code == 200
    return 'data-action="qc"' in page.content.decode()


def test_the_batch_page_offers_exactly_the_steps_the_table_allows(batch, staff, signed_in):
    officer, regional = signed_in(staff.lapas_officer), signed_in(staff.regional)
    assert [a for a, _label in BATCH.actions(batch, staff.lapas_officer)] == ["qc"]
    assert _qc_form_shown(officer, batch) and _qc_form_shown(regional, batch)
    page = officer.get(reverse("production:batch_detail", args=[batch.pk])).content.decode()
    assert "Simpan QC dan masukkan ke stok" in page and "Batch dicatat: 5 barang dibuat" in page
    # a cashier has no production.view: no page at all; another unit's staff: not found
    assert signed_in(staff.lapas_cashier).get(reverse("production:batch_detail", args=[batch.pk])).status_code == 403
    assert signed_in(staff.lpp_admin).get(reverse("production:batch_detail", args=[batch.pk])).status_code == 404
    checked = _in_state(batch, BatchStatus.CHECKED)
    assert BATCH.actions(checked, staff.lapas_officer) == []
    assert not _qc_form_shown(officer, checked)
    # and a QC posted anyway is refused without a change
    response = officer.post(reverse("production:batch_detail", args=[batch.pk]), {"passed": 5, "rejected": 0})
    assert response.status_code == 403
    assert timeline.of(batch).count() == 1
