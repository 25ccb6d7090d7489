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


def close_session(session, *, counted_cash, note="", user):
    return transition(TILL_SESSION, session, "tutup", user=user, note=note, counted_cash=counted_cash)
