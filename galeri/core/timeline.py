"""The one history of everything that has a workflow: writing and reading ``TimelineEvent`` rows.

A step taken through ``galeri.core.workflow.transition`` writes its event itself; ``record`` is for
the few things that are history but not a change of state (an order placed, a line returned, a
payment noted while the order is being made). Each model with a history declares
``events = GenericRelation(TimelineEvent, ...)`` (``timeline_relation()``), so ``order.events.all()``
and ``prefetch_related("events")`` read it like a reverse foreign key.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType

from galeri.core import clock
from galeri.core.models import Actor, TimelineEvent

LABEL_LENGTH = TimelineEvent._meta.get_field("label").max_length


def timeline_relation():
    """The ``events`` field a model with a history declares."""
    return GenericRelation(TimelineEvent, content_type_field="subject_type", object_id_field="subject_id")


def _staff_user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@dataclass(frozen=True)
class Entry:
    """One event to write with ``record_many`` (the subject is given once)."""

    label: str
    to_state: str = ""
    from_state: str = ""
    action: str = ""
    note: str = ""
    actor: str = Actor.SYSTEM
    user: object = None
    created_at: object = None


def _row(subject, entry: Entry, when) -> TimelineEvent:
    return TimelineEvent(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=subject.pk,
        action=entry.action,
        from_state=entry.from_state or "",
        to_state=entry.to_state or "",
        label=str(entry.label)[:LABEL_LENGTH],
        note=(entry.note or "").strip(),
        actor=entry.actor,
        user=_staff_user(entry.user),
        created_at=entry.created_at or when,
    )


def record(
    subject, label, *, to_state="", from_state="", action="", note="", actor=Actor.SYSTEM, user=None, now=None
) -> TimelineEvent:
    """Write one event in ``subject``'s history (inside the caller's transaction)."""
    entry = Entry(label, to_state, from_state, action, note, actor, user, now)
    event = _row(subject, entry, now or clock.now())
    event.save()
    return event


def record_many(subject, entries) -> list:
    """Write several events of one subject at once (checkout: placed, then awaiting payment)."""
    when = clock.now()
    return TimelineEvent.objects.bulk_create([_row(subject, entry, when) for entry in entries])


def of(subject):
    """``subject``'s events as a queryset (any model, with or without an ``events`` field)."""
    content_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
    return TimelineEvent.objects.filter(subject_type=content_type, subject_id=subject.pk)


def events_of(subject):
    """``subject``'s history, oldest first, with the staff member of each step."""
    return list(of(subject).select_related("user").order_by("created_at", "id"))


def latest(subject):
    return of(subject).order_by("-created_at", "-id").first()


def erase_notes(model, ids) -> int:
    """Blank the notes of the events of these subjects (their labels and times stay): a note may
    carry a buyer's words or details, and goes with the rest of their personal data (retention)."""
    kind = ContentType.objects.get_for_model(model)
    return TimelineEvent.objects.filter(subject_type=kind, subject_id__in=list(ids)).exclude(note="").update(note="")
