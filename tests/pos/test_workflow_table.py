"""The till session's workflow table (``galeri/pos/workflow.py``): who may take each step is the
table's permission, a step from a state not in its sources changes nothing, the close page offers
exactly the steps the table allows with the session's history, and the status migration."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from galeri.core import timeline
from galeri.core.models import Actor
from galeri.core.workflow import transition
from galeri.pos import services
from galeri.pos.models import SessionStatus, TillSession
from galeri.pos.workflow import TILL_SESSION
from galeri.units.scoping import can
from tests.helpers import migrate_to_latest

pytestmark = pytest.mark.django_db

ROLES = ("regional", "lapas_admin", "lapas_officer", "lapas_cashier", "lpp_admin", "lpp_officer", "nobody")
STATES = tuple(SessionStatus.values)
# what each step needs besides the session (no difference: no note; closing another's: a reason)
PARAMS = {"tutup": {"counted_cash": 200_000}, "tutup_paksa": {"counted_cash": 200_000, "note": "kasir pulang sakit"}}


def _in_state(session, state):
    closed_at = None if state == SessionStatus.OPEN else timezone.now()
    TillSession.objects.filter(pk=session.pk).update(status=state, closed_at=closed_at)
    session.refresh_from_db()
    return session


def test_every_step_of_the_table_has_its_params_here():
    assert {row.action for row in TILL_SESSION.transitions} == set(PARAMS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", TILL_SESSION.transitions, ids=lambda row: row.action)
def test_who_may_take_a_step_is_the_tables_permission(row, role, staff, counter, open_till):
    user = getattr(staff, role)
    # tutup is the opener's own step: the session is the user's where the user may open one
    opener = user if row.action == "tutup" and can(user, "pos.sell", counter.unit) else counter.cashier
    session = _in_state(open_till(user=opener), row.sources[0])
    before = timeline.of(session).count()
    if can(user, row.permission, counter.unit):
        done = transition(TILL_SESSION, session, row.action, user=user, **PARAMS[row.action])
        assert done.status == row.target
        assert timeline.of(session).count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            transition(TILL_SESSION, session, row.action, user=user, **PARAMS[row.action])
        session.refresh_from_db()
        assert session.status == row.sources[0] and timeline.of(session).count() == before


def test_closing_someone_elses_session_needs_the_administrator_and_a_reason(counter, open_till):
    # issue 16: this used to need only pos.sell (any cashier closed another's session)
    other = services.open_session(counter.till2, user=counter.admin, opening_float=0)
    with pytest.raises(services.PosError, match="administrator"):
        services.close_session(other, counted_cash=0, user=counter.cashier)
    with pytest.raises(services.PosError, match="dibuka oleh"):
        transition(TILL_SESSION, other, "tutup", user=counter.cashier, counted_cash=0)  # the own row, taken directly
    mine = open_till(opening_float=0)
    closed = services.close_session(mine, counted_cash=0, note="kasir pulang", user=counter.admin)
    assert (closed.status, closed.closed_by) == (SessionStatus.CLOSED, counter.admin)


@pytest.mark.parametrize(
    ("row", "state"),
    [(row, state) for row in TILL_SESSION.transitions for state in STATES if not row.starts_from(state)],
    ids=lambda value: getattr(value, "action", value),
)
def test_a_step_from_another_state_is_refused_and_changes_nothing(row, state, counter, open_till):
    session = _in_state(open_till(), state)
    before = timeline.of(session).count()
    user = counter.admin if row.action == "tutup_paksa" else counter.cashier
    with pytest.raises(services.PosError) as refused:
        transition(TILL_SESSION, session, row.action, user=user, **PARAMS[row.action])
    assert refused.value.codes == ["closed"]
    session.refresh_from_db()
    assert session.status == state and session.counted_cash is None and session.closed_by is None
    assert timeline.of(session).count() == before


def test_the_history_tells_the_session_from_opening_to_closing(counter, open_till):
    session = open_till(opening_float=150_000)
    closed = services.close_session(session, counted_cash=149_000, note="  kurang seribu ", user=counter.cashier)
    assert (closed.status, closed.closed_at is not None) == (SessionStatus.CLOSED, True)
    opened, shut = timeline.events_of(session)
    assert (opened.label, opened.to_state, opened.actor, opened.user) == (
        "Kasir dibuka dengan modal awal Rp 150.000",
        "buka",
        Actor.STAFF,
        counter.cashier,
    )
    assert (shut.action, shut.from_state, shut.to_state, shut.note, shut.user) == (
        "tutup",
        "buka",
        "tutup",
        "kurang seribu",
        counter.cashier,
    )
    assert shut.label == "Kasir ditutup: kas seharusnya Rp 150.000, dihitung Rp 149.000, selisih -Rp 1.000"
    assert shut.created_at == closed.closed_at


def test_a_refused_close_leaves_the_session_open_without_an_event(counter, open_till):
    session = open_till(opening_float=150_000)
    with pytest.raises(services.PosError, match="tulis catatannya"):
        services.close_session(session, counted_cash=149_000, user=counter.cashier)
    with pytest.raises(services.PosError, match="rupiah bulat"):
        services.close_session(session, counted_cash=-1, note="x", user=counter.cashier)
    session.refresh_from_db()
    assert (session.status, session.closed_at) == (SessionStatus.OPEN, None)
    assert timeline.of(session).count() == 1


def test_status_and_closed_at_cannot_disagree(counter, open_till):
    session = open_till()
    with pytest.raises(IntegrityError), transaction.atomic():
        TillSession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        TillSession.objects.filter(pk=session.pk).update(closed_at=timezone.now())


def _close_page(client, session):
    return client.get(reverse("pos:close", args=[session.pk]))


def test_the_close_page_offers_exactly_the_steps_the_table_allows(counter, open_till, staff, signed_in):
    session = open_till(opening_float=50_000)
    cashier = signed_in(counter.cashier)
    assert TILL_SESSION.actions(session, counter.cashier) == [("tutup", "Tutup kasir")]
    page = _close_page(cashier, session)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-action="tutup"' in html and "Kasir dibuka dengan modal awal Rp 50.000" in html
    # an officer has no pos.sell: no page; another unit's admin: not found
    assert _close_page(signed_in(staff.lapas_officer), session).status_code == 403
    assert _close_page(signed_in(staff.lpp_admin), session).status_code == 404
    response = cashier.post(reverse("pos:close", args=[session.pk]), {"counted_cash": "50.000"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert TILL_SESSION.actions(session, counter.cashier) == []
    assert _close_page(cashier, session).status_code == 404  # a closed session has no close page


@pytest.mark.django_db(transaction=True)
def test_the_migration_sets_the_status_from_closed_at(counter, make_staff):
    before, after = [("pos", "0004_receipt_numbers_on_core_counters")], [("pos", "0005_till_session_status")]

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps

    try:
        old = migrate(before)
        Session = old.get_model("pos", "TillSession")
        now = timezone.now()
        open_one = Session.objects.create(till_id=counter.till.pk, opened_by_id=counter.cashier.pk, opened_at=now)
        closed_one = Session.objects.create(
            till_id=counter.till2.pk, opened_by_id=counter.cashier.pk, opened_at=now, closed_at=now, counted_cash=0
        )
        migrate(after)
        assert TillSession.objects.get(pk=open_one.pk).status == SessionStatus.OPEN
        assert TillSession.objects.get(pk=closed_one.pk).status == SessionStatus.CLOSED
        with pytest.raises(services.PosError, match="masih punya sesi yang terbuka"):
            services.open_session(counter.till, user=counter.cashier, opening_float=0)
    finally:
        migrate_to_latest()
