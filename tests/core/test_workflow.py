"""The workflow toolkit: one table, one ``transition()``, one timeline (``galeri/core/workflow.py``).

The table here runs over the toolkit's own ``Counter`` row (its ``period`` plays the state) so
the toolkit is tested on a real row and a real lock without any app's rules.
"""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection

from galeri.core import timeline
from galeri.core.errors import DomainError
from galeri.core.models import Actor, Counter, TimelineEvent
from galeri.core.workflow import ANY, Transition, Workflow, transition

WIT = datetime.timezone(datetime.timedelta(hours=9))


class StepError(DomainError):
    pass


def _no_bump_on_zero(counter):
    if counter.last_number == 0:
        raise StepError("Belum ada nomor.", code="empty")


def _bump(counter, step):
    if step.params.get("by", 1) < 1:
        raise StepError("Tambahan harus positif.", code="bad_by")
    counter.last_number += step.params.get("by", 1)
    step.save("last_number")
    step.on_commit(lambda: HOOKS.append(counter.last_number))


HOOKS = []


def _table(unit):
    return Workflow(
        "core.counter",
        lock=lambda c: Counter.objects.select_for_update().get(pk=c.pk),
        state_field="period",
        unit_of=lambda c: unit,
        error=StepError,
        transitions=[
            Transition("buka", sources=("",), target="buka", label="Buka", permission="orders.manage", effect=_bump),
            Transition("tambah", sources=("buka",), target=None, label="Tambah", permission="orders.manage", effect=_bump),
            Transition(
                "tutup", sources=("buka",), target="tutup", label="Tutup", permission="units.manage_staff", guard=_no_bump_on_zero
            ),
            Transition(
                "batal",
                sources=(ANY,),
                target="batal",
                label="Batal",
                actors=(Actor.BUYER, Actor.STAFF),
                permission="orders.manage",
            ),
            Transition("kedaluwarsa", sources=("buka",), target="habis", label="Habis", actors=(Actor.SYSTEM,), button=False),
        ],
    )


@pytest.fixture
def flow(unit_tree):
    return _table(unit_tree.lapas)


@pytest.fixture
def row(db):
    return Counter.objects.create(scope="uji:1", period="", last_number=0)


def test_a_step_moves_the_state_runs_the_effect_and_writes_one_event(flow, row, staff, django_capture_on_commit_callbacks):
    HOOKS.clear()
    with (
        time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIT), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = transition(flow, row, "buka", user=staff.lapas_admin, note="  pagi  ")
    row.refresh_from_db()
    assert (row.period, row.last_number) == ("buka", 1)
    assert done.period == "buka"
    (event,) = timeline.events_of(row)
    assert (event.action, event.from_state, event.to_state, event.label) == ("buka", "", "buka", "Buka")
    assert event.note == "pagi" and event.actor == Actor.STAFF and event.user == staff.lapas_admin
    assert event.created_at == datetime.datetime(2026, 12, 31, 14, 30, tzinfo=datetime.UTC)
    assert HOOKS == [1]


def test_a_step_that_keeps_the_state_still_leaves_history(flow, row, staff):
    row = transition(flow, row, "buka", user=staff.lapas_admin)
    row = transition(flow, row, "tambah", user=staff.lapas_admin, by=5)
    assert (row.period, row.last_number) == ("buka", 6)
    assert [(e.from_state, e.to_state) for e in timeline.events_of(row)] == [("", "buka"), ("buka", "buka")]


def test_the_wrong_state_is_refused_and_nothing_changes(flow, row, staff):
    with pytest.raises(StepError) as refused:
        transition(flow, row, "tambah", user=staff.lapas_admin)
    assert refused.value.codes == ["wrong_status"]
    row.refresh_from_db()
    assert (row.period, row.last_number) == ("", 0)
    assert not TimelineEvent.objects.exists()


def test_an_effect_that_refuses_rolls_everything_back(flow, row, staff):
    row = transition(flow, row, "buka", user=staff.lapas_admin)
    with pytest.raises(StepError):
        transition(flow, row, "tambah", user=staff.lapas_admin, by=0)
    row.refresh_from_db()
    assert row.last_number == 1 and timeline.of(row).count() == 1


def test_an_unknown_action_is_a_domain_error(flow, row, staff):
    with pytest.raises(StepError) as refused:
        transition(flow, row, "hapus", user=staff.lapas_admin)
    assert refused.value.codes == ["unknown_action"]


def test_who_may_comes_from_the_table(flow, row, staff):
    # an officer has orders.manage on Lapas Ambon but not units.manage_staff; LPP's admin has neither there
    row = transition(flow, row, "buka", user=staff.lapas_officer)
    with pytest.raises(PermissionDenied):
        transition(flow, row, "tutup", user=staff.lapas_officer)
    with pytest.raises(PermissionDenied):
        transition(flow, row, "tambah", user=staff.lpp_admin)
    with pytest.raises(PermissionDenied):
        transition(flow, row, "tambah", user=None)
    with pytest.raises(PermissionDenied):  # a job's step is not a staff button
        transition(flow, row, "kedaluwarsa", user=staff.lapas_admin)
    assert transition(flow, row, "kedaluwarsa", actor=Actor.SYSTEM).period == "habis"


def test_allowed_lists_the_buttons_a_user_may_press_now(flow, row, staff):
    assert flow.actions(row, staff.lapas_admin) == [("buka", "Buka"), ("batal", "Batal")]
    row = transition(flow, row, "buka", user=staff.lapas_admin)
    # tutup is the admin's (the officer lacks units.manage_staff); the job's step is never a button
    assert [a for a, _ in flow.actions(row, staff.lapas_admin)] == ["tambah", "tutup", "batal"]
    assert [a for a, _ in flow.actions(row, staff.lapas_officer)] == ["tambah", "batal"]
    assert flow.actions(row, staff.lpp_admin) == []
    assert [a for a, _ in flow.actions(row, None, Actor.BUYER)] == ["batal"]


def test_a_guard_hides_the_button_and_refuses_with_its_message(flow, staff, db):
    row = Counter.objects.create(scope="uji:2", period="buka", last_number=0)
    assert "tutup" not in dict(flow.actions(row, staff.lapas_admin))
    with pytest.raises(StepError) as refused:
        transition(flow, row, "tutup", user=staff.lapas_admin)
    assert refused.value.codes == ["empty"]


def test_a_table_may_not_declare_an_action_twice():
    twice = [Transition("a", sources=(ANY,), target="x", label="A")] * 2
    with pytest.raises(ValueError):
        Workflow("x", lock=lambda s: s, transitions=twice)


def test_record_many_keeps_the_order_given(row):
    timeline.record_many(
        row, [timeline.Entry("Dibuat", to_state="baru"), timeline.Entry("Menunggu", from_state="baru", to_state="tunggu")]
    )
    assert [e.label for e in timeline.events_of(row)] == ["Dibuat", "Menunggu"]
    assert timeline.latest(row).label == "Menunggu"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_people_pressing_at_once_take_the_step_once(unit_tree, make_staff):
    from galeri.units.models import Role

    flow = _table(unit_tree.lapas)
    people = [make_staff(Role.UNIT_ADMIN, unit_tree.lapas) for _ in range(2)]
    row = Counter.objects.create(scope="uji:3", period="buka", last_number=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def press(user):
        barrier.wait()
        try:
            transition(flow, row, "tutup", user=user)
            outcomes.append("ok")
        except StepError as exc:
            outcomes.append(exc.codes[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "wrong_status"]
    assert timeline.of(row).count() == 1


def test_a_row_may_word_its_own_wrong_state(unit_tree, row, staff):
    def sudah(counter):
        return StepError(f"Sudah {counter.period or 'kosong'}.", code="already")

    flow = Workflow(
        "core.counter",
        lock=lambda c: Counter.objects.select_for_update().get(pk=c.pk),
        state_field="period",
        unit_of=lambda c: unit_tree.lapas,
        error=StepError,
        transitions=[
            Transition("tutup", sources=("buka",), target="tutup", label="Tutup", permission="orders.manage", wrong_state=sudah),
            Transition("tambah", sources=("buka",), target=None, label="Tambah", permission="orders.manage"),
        ],
    )
    with pytest.raises(StepError) as refused:
        transition(flow, row, "tutup", user=staff.lapas_admin)
    assert (refused.value.codes, refused.value.messages) == (["already"], ["Sudah kosong."])
    with pytest.raises(StepError) as refused:  # a row without one keeps the workflow's message
        transition(flow, row, "tambah", user=staff.lapas_admin)
    assert refused.value.codes == ["wrong_status"]
    assert not TimelineEvent.objects.exists()
