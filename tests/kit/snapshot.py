"""A fingerprint of the database, to prove a refused request changed nothing
(tests/units/test_authz_matrix.py, tests/units/test_authz_vertical.py)."""

import hashlib

from django.apps import apps
from django.contrib.auth.models import User


def snapshot():
    """Per model of ours (and the users): a hash of every row, in primary key order."""
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("galeri.") and model is not User:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        found[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return found


def changed(before, after):
    """The models whose rows differ between two snapshots."""
    return sorted(label for label in before if before[label] != after.get(label))
