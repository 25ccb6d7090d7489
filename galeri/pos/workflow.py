"""The till session's workflow: its one table of steps (``galeri.core.workflow``).

A session is opened with a float (``sessions.open_session`` writes its first timeline event);
closing it counts the cash. The cashier who opened it closes it (``tutup``); anyone else needs
the unit's administrator's right and a reason (``tutup_paksa``). ``sessions.close_action`` picks
the row; the console's close page shows the form only when ``TILL_SESSION.actions`` offers it.
Guards see only the session, so "opened by the user" is checked in the effect.

| from | action      | to    | who              | effect                                                          |
|------|-------------|-------|------------------|-----------------------------------------------------------------|
| buka | tutup       | tutup | pos.sell, opener | expected, counted cash, difference; a note when they differ; closed_at/by |
| buka | tutup_paksa | tutup | pos.close_others | the same, and the reason (the note) is required                 |
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.core.money import format_rupiah
from galeri.core.workflow import Transition, Workflow

from .errors import PosError, _whole
from .models import SessionStatus, TillSession
from .selectors import session_figures


def _lock(session):
    return TillSession.objects.select_for_update().select_related("till__unit").get(pk=session.pk)


def _already_closed(session):
    return PosError(_("Sesi kasir sudah ditutup."), code="closed")


def _close_own(session, step):
    if session.opened_by_id != getattr(step.user, "pk", None):
        raise PosError(
            _("Sesi kasir ini dibuka oleh kasir lain: hanya dia, atau administrator unit dengan alasan, yang bisa menutupnya."),
            code="not_your_session",
        )
    _count_cash(session, step)


def _close_others(session, step):
    if not step.note:
        raise PosError(_("Tulis alasan menutup sesi kasir orang lain."), code="reason_required")
    _count_cash(session, step)
    step.label = _("Ditutup administrator: %(label)s") % {"label": step.label}


def _count_cash(session, step):
    """The cash counted against the cash expected; a difference needs the cashier's note."""
    counted_cash = _whole(step.params.get("counted_cash"), _("Uang terhitung harus rupiah bulat, nol atau lebih."))
    expected = session_figures(session)["expected_cash"]
    difference = counted_cash - expected
    if difference and not step.note:
        raise PosError(_("Ada selisih kas: tulis catatannya."), code="note_required")
    session.expected_cash, session.counted_cash, session.difference = expected, counted_cash, difference
    session.note, session.closed_at, session.closed_by = step.note, step.now, step.user
    step.save("expected_cash", "counted_cash", "difference", "note", "closed_at", "closed_by")
    step.label = _("Kasir ditutup: kas seharusnya %(expected)s, dihitung %(counted)s, selisih %(diff)s") % {
        "expected": format_rupiah(expected),
        "counted": format_rupiah(counted_cash),
        "diff": format_rupiah(difference),
    }


TILL_SESSION = Workflow(
    "pos.till_session",
    lock=_lock,
    unit_of=lambda session: session.till.unit,
    error=PosError,
    wrong_state=_already_closed,
    transitions=[
        Transition(
            "tutup",
            sources=(SessionStatus.OPEN,),
            target=SessionStatus.CLOSED,
            label=gettext_lazy("Tutup kasir"),
            permission="pos.sell",
            effect=_close_own,
        ),
        Transition(
            "tutup_paksa",
            sources=(SessionStatus.OPEN,),
            target=SessionStatus.CLOSED,
            label=gettext_lazy("Tutup sesi kasir lain"),
            permission="pos.close_others",
            effect=_close_others,
        ),
    ],
)
