"""Till sessions: open one (its first timeline event) and close it with the cash counted
(``workflow.TILL_SESSION``'s ``tutup`` step). The figures of a session are ``selectors.session_figures``."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from galeri.core import clock, timeline
from galeri.core.models import Actor
from galeri.core.money import format_rupiah
from galeri.core.workflow import transition
from galeri.units.scoping import can

from .errors import PosError, _whole
from .models import SessionStatus, Till, TillSession
from .workflow import TILL_SESSION


def open_session(till, *, user, opening_float):
    _whole(opening_float, _("Modal awal harus rupiah bulat, nol atau lebih."))
    if not can(user, "pos.sell", till.unit):
        raise PermissionDenied
    if not Till.objects.filter(pk=till.pk, is_active=True).exists():
        raise PosError(_("Kasir %(till)s sudah tidak dipakai.") % {"till": till.name}, code="retired")
    now = clock.now()
    try:
        with transaction.atomic():
            session = TillSession.objects.create(till=till, opened_by=user, opening_float=opening_float, opened_at=now)
            timeline.record(
                session,
                _("Kasir dibuka dengan modal awal %(float)s") % {"float": format_rupiah(opening_float)},
                to_state=SessionStatus.OPEN,
                actor=Actor.STAFF,
                user=user,
                now=now,
            )
            return session
    except IntegrityError:
        raise PosError(_("Kasir %(till)s masih punya sesi yang terbuka.") % {"till": till.name}, code="already_open") from None


def close_action(session, user):
    """The row that closes ``session`` for ``user``: ``tutup`` for the one who opened it,
    ``tutup_paksa`` (the unit's administrator, with a reason) for anyone else."""
    return "tutup" if session.opened_by_id == getattr(user, "pk", None) else "tutup_paksa"


def close_session(session, *, counted_cash, note="", user):
    """Close with the cash counted: one's own session, or another cashier's as the unit's
    administrator with a reason (``workflow.TILL_SESSION``)."""
    action = close_action(session, user)
    if action == "tutup_paksa" and not can(user, "pos.close_others", session.till.unit):
        raise PosError(
            _("Sesi kasir ini dibuka oleh %(name)s: hanya dia, atau administrator unit dengan alasan, yang bisa menutupnya.")
            % {"name": session.opened_by.get_full_name() or session.opened_by.username},
            code="not_your_session",
        )
    return transition(TILL_SESSION, session, action, user=user, note=note, counted_cash=counted_cash)


def lock_own_session(session, user, *related, action=None):
    """``session`` locked (its row only) and checked: ``user`` may do ``action`` in its unit (when
    given: one read instead of a second), still open, and opened by ``user``. Money goes in or out
    of a till only through the session of the cashier who opened it; the lock makes a close wait
    until this write is in, so its count includes it."""
    session = (
        TillSession.objects.select_for_update(of=("self",)).select_related("till__unit", "opened_by", *related).get(pk=session.pk)
    )
    if action is not None and not can(user, action, session.till.unit):
        raise PermissionDenied
    if session.closed_at is not None:
        raise PosError(_("Sesi kasir sudah ditutup."), code="closed")
    if session.opened_by_id != getattr(user, "pk", None):
        raise PosError(
            _("Sesi kasir %(till)s dibuka oleh %(name)s: pakai sesi kasir yang Anda buka sendiri.")
            % {"till": session.till.name, "name": session.opened_by.get_full_name() or session.opened_by.username},
            code="not_your_session",
        )
    return session
