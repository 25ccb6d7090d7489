"""Reads of reports and of the public catalogue go to a read replica when one is configured.

settings.py adds the ``replica`` database and this router only when DATABASE_REPLICA_URL is set.
A read goes to the replica when all of these hold:

- the request is a GET/HEAD of a page whose URL namespace is in REPLICA_READ_NAMESPACES
  (``ReplicaReadMiddleware`` sets the flag; commands, POSTs and other pages never use it);
- the default connection is not inside a transaction (a read that decides a write, e.g. the
  stock check of a checkout, runs in ``transaction.atomic`` and so on the primary);
- the model is not one whose freshness matters to the visitor right now (sessions, users,
  login throttling, TOTP devices).

Every write, and every migration, goes to the primary.
"""

from django.db import connections

from galeri.ops import context

PRIMARY = "default"
REPLICA = "replica"
PRIMARY_ONLY_APPS = {"sessions", "auth", "axes", "otp_totp", "django_otp", "admin"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not context.replica_reads.get():
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
