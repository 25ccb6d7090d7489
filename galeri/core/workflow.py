"""One workflow shape: a table of transitions per workflow and one ``transition()`` that runs them.

Each app with a workflow (orders, bookings, custom orders, production batches, till sessions)
declares it in its ``workflow.py``::

    ORDER = Workflow(
        "orders.order", error=OrderError, wrong_state=_wrong_step,
        lock=lambda order: Order.objects.select_for_update().get(pk=order.pk),
        transitions=[
            Transition("proses", sources=(PAID,), target=PROCESSING, label=_("Proses pesanan"),
                       permission="orders.manage", effect=_stop_expiry),
            ...
        ],
    )

and every change of state goes through ``transition(ORDER, order, "proses", user=user)``, which:

1. finds the row of the table (an unknown action is a ``DomainError`` with code ``unknown_action``);
2. checks who may: the actor must be one the row lists, and a staff actor needs the row's
   ``permission`` in the subject's unit (``units.scoping.can``, registered by the units app);
3. locks the subject's row, then checks its state is one of the row's ``sources`` and the
   row's ``guard`` (a check of the subject only, no side effects) lets it through;
4. sets the new state, runs the row's ``effect`` (other rows, more fields, the params' checks),
   saves the changed fields and writes one event to the shared timeline — all in one transaction;
5. runs what the effect queued with ``step.on_commit`` (mail, cache) after the commit.

``Workflow.allowed(subject, user)`` lists the rows a user may take now (the console's buttons);
the authorization tests parametrise over ``Workflow.transitions``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from galeri.core import clock, timeline
from galeri.core.errors import DomainError
from galeri.core.models import Actor

ANY = "*"  # a source that matches every state


@dataclass(frozen=True)
class Transition:
    """One row of a workflow table.

    ``target`` None keeps the state (a step that is history but no move). ``permission`` is the
    scoping action a staff actor needs in the subject's unit; buyers and the system are trusted
    by the caller (a signed link, a job), so list them in ``actors`` only where that is true.
    ``guard(subject)`` raises a ``DomainError`` to refuse (it must not change anything: the
    console calls it to decide which buttons to show). ``effect(subject, step)`` does the work.
    ``wrong_state(subject)`` words the refusal from a state not in ``sources`` when this row's
    message differs from the workflow's (e.g. "already cancelled; cannot become confirmed").
    """

    action: str
    sources: tuple
    target: str | None
    label: str
    permission: str | None = None
    actors: tuple = (Actor.STAFF,)
    guard: Callable | None = None
    effect: Callable | None = None
    event: str = ""  # the timeline's label when it differs from the button's
    button: bool = True  # offered as a console action (False: taken by another path, e.g. a job)
    wrong_state: Callable | None = None  # ``(subject) -> DomainError`` for this row; else the workflow's

    def starts_from(self, state) -> bool:
        return ANY in self.sources or state in self.sources


@dataclass
class Step:
    """What an effect gets: who, when, the note and params, and where to add fields and hooks."""

    transition: Transition
    user: object
    actor: str
    note: str
    now: object
    params: dict
    from_state: str
    fields: set = field(default_factory=set)
    label: str = ""  # set by an effect to word the event differently
    hooks: list = field(default_factory=list)

    def save(self, *names):
        self.fields.update(names)

    def on_commit(self, hook):
        self.hooks.append(hook)


_authorize = None


def set_authorizer(check: Callable):
    """``check(user, permission, unit) -> bool``; the units app registers ``scoping.can``."""
    global _authorize
    _authorize = check


def _default_wrong_state(subject, workflow):
    return workflow.error(_("Langkah ini tidak bisa dilakukan pada status sekarang."), code="wrong_status")


class Workflow:
    def __init__(
        self,
        name,
        *,
        transitions,
        lock,
        state_field="status",
        unit_of=lambda subject: subject.unit,
        error=DomainError,
        wrong_state=None,
    ):
        self.name = name
        self.transitions = tuple(transitions)
        self.lock = lock
        self.state_field = state_field
        self.unit_of = unit_of
        self.error = error
        self._wrong_state = wrong_state
        self._by_action = {}
        for row in self.transitions:
            if row.action in self._by_action:
                raise ValueError(f"{name}: action {row.action!r} is declared twice")
            self._by_action[row.action] = row

    def __repr__(self):
        return f"<Workflow {self.name}>"

    def get(self, action) -> Transition:
        try:
            return self._by_action[action]
        except (KeyError, TypeError):
            raise self.error(_("Langkah tidak dikenal."), code="unknown_action") from None

    def state(self, subject):
        return getattr(subject, self.state_field)

    def wrong_state(self, subject, row=None):
        if row is not None and row.wrong_state is not None:
            return row.wrong_state(subject)
        if self._wrong_state is not None:
            return self._wrong_state(subject)
        return _default_wrong_state(subject, self)

    def permitted(self, row: Transition, user, actor, subject) -> bool:
        """May ``actor`` (and ``user`` for staff) take ``row`` on ``subject``? (Not the state.)"""
        if actor not in row.actors:
            return False
        if actor != Actor.STAFF or row.permission is None:
            return True
        if user is None or not getattr(user, "is_authenticated", False) or _authorize is None:
            return False
        return _authorize(user, row.permission, self.unit_of(subject))

    def passes(self, row: Transition, subject) -> bool:
        if not row.starts_from(self.state(subject)):
            return False
        if row.guard is None:
            return True
        try:
            row.guard(subject)
        except DomainError:
            return False
        return True

    def allowed(self, subject, user=None, actor=Actor.STAFF, *, buttons_only=True) -> list:
        """The rows ``user`` may take on ``subject`` now, in table order (the console's actions)."""
        return [
            row
            for row in self.transitions
            if (row.button or not buttons_only) and self.permitted(row, user, actor, subject) and self.passes(row, subject)
        ]

    def actions(self, subject, user=None, actor=Actor.STAFF) -> list:
        """``allowed`` as ``[(action, label)]`` for a template."""
        return [(row.action, row.label) for row in self.allowed(subject, user, actor)]


def transition(workflow: Workflow, subject, action, *, user=None, actor=Actor.STAFF, note="", now=None, **params):
    """Take step ``action`` on ``subject``; returns the locked, saved subject (use it, not the one
    passed in). Raises ``PermissionDenied`` when the user may not, the workflow's error when the
    state or the guard refuses; either way nothing changes."""
    row = workflow.get(action)
    if not workflow.permitted(row, user, actor, subject):
        raise PermissionDenied
    with transaction.atomic():
        locked = workflow.lock(subject)
        if not row.starts_from(workflow.state(locked)):
            raise workflow.wrong_state(locked, row)
        if row.guard is not None:
            row.guard(locked)
        old = workflow.state(locked)
        step = Step(row, user, actor, (note or "").strip(), now or clock.now(), params, old)
        if row.target is not None and row.target != old:
            setattr(locked, workflow.state_field, row.target)
            step.save(workflow.state_field)
        if row.effect is not None:
            row.effect(locked, step)
        if step.fields:
            locked.save(update_fields=sorted(step.fields))
        timeline.record(
            locked,
            step.label or row.event or row.label,
            to_state=workflow.state(locked),
            from_state=old,
            action=row.action,
            note=step.note,
            actor=actor,
            user=user,
            now=step.now,
        )
        for hook in step.hooks:
            transaction.on_commit(hook)
    return locked
