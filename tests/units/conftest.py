"""Console staff for the units tests: the shared ``make_staff`` (tests/kit/people.py) with an
e-mail and a first name "Nama <username>" by default, which the audit and staff pages show."""

import itertools

import pytest

_seq = itertools.count(1)


@pytest.fixture
def make_staff(make_staff):
    def make(role=None, unit=None, username=None, **fields):
        username = username or f"staf{next(_seq)}"
        fields.setdefault("email", f"{username}@contoh.go.id")
        fields.setdefault("first_name", f"Nama {username}")
        return make_staff(role, unit, username, **fields)

    return make
