"""Two (or four) senders at once never send one message twice: real threads, one connection each.

On PostgreSQL the candidates are read FOR UPDATE SKIP LOCKED and claimed by a conditional UPDATE;
on SQLite the conditional UPDATE alone decides (writers queue on the write lock). Run it against
PostgreSQL with DATABASE_URL=postgres://... .
"""

import collections

import pytest
from django.core import mail

from galeri.notifications import sending, services
from galeri.notifications.models import Message, Status
from tests.helpers import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_senders_send_each_message_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for i in range(40):
        services.queue("order_paid", key=f"order:{i}:order_paid", context={"code": f"K-{i}"}, emails=[f"b{i}@contoh.id"])
    # queue() sent them after its (autocommit) commit: put them back as due, as after an outage.
    mail.outbox.clear()
    Message.objects.update(status=Status.QUEUED, attempts=0, sent_at=None)

    results = run_threads(4, lambda i: sending.send_due(limit=5))

    assert all(isinstance(r, dict) for r in results), results
    assert sum(r.get(Status.SENT, 0) for r in results) == 40
    sent_to = collections.Counter(m.to[0] for m in mail.outbox)
    assert len(sent_to) == 40 and set(sent_to.values()) == {1}
    assert Message.objects.filter(status=Status.SENT, attempts=1).count() == 40


def test_a_claimed_message_is_not_claimed_again():
    made = services.queue("order_paid", key="k", context={}, emails=["a@contoh.id"])
    Message.objects.update(status=Status.QUEUED)
    now = sending.clock.now()
    assert sending.claim(now, ids=[made[0].pk]) == [made[0].pk]
    assert sending.claim(now, ids=[made[0].pk]) == []
