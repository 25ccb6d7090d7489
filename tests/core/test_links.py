"""The one signed-link scheme: purpose, expiry, key rotation, and the old formats still read."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.test import override_settings

from galeri.core import links

TRACK = links.Purpose(salt="t.links.track", legacy_salt="t.old.track")
QUOTE = links.Purpose(salt="t.links.quote", legacy_salt="t.old.quote")
SHORT = links.Purpose(salt="t.links.short", max_age=3600)
START = datetime.datetime(2026, 12, 8, 1, 0, tzinfo=datetime.UTC)


def test_a_token_opens_its_value_only():
    token = links.token(TRACK, "LPA-20261208-0001:key")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # fits a <slug:> URL part
    assert re.fullmatch(r"[A-Za-z0-9_-]{44,60}", links.token(SHORT, "v"))  # with its time
    assert links.token(TRACK, "LPA-20261208-0001:key") == token  # no expiry: the same link every time
    assert links.check(TRACK, "LPA-20261208-0001:key", token)
    assert not links.check(TRACK, "LPA-20261208-0002:key", token)
    assert not links.check(TRACK, "LPA-20261208-0001:key", token[:-1] + ("a" if token[-1] != "a" else "b"))
    for bad in ("", None, 42, "x" * 500, token[:10]):
        assert not links.check(TRACK, "LPA-20261208-0001:key", bad)


def test_the_wrong_purpose_is_refused():
    assert not links.check(QUOTE, "v", links.token(TRACK, "v"))
    with pytest.raises(links.BadLink):
        links.unsign(TRACK, links.sign(QUOTE, "12-nonce"))
    with pytest.raises(links.BadLink):
        links.loads(QUOTE, links.dumps(TRACK, [1, 2]))


def test_an_expired_token_is_refused():
    with time_machine.travel(START, tick=False):
        token, signed, dumped = links.token(SHORT, "v"), links.sign(SHORT, "v"), links.dumps(SHORT, ["v"])
    with time_machine.travel(START + datetime.timedelta(minutes=59), tick=False):
        assert links.check(SHORT, "v", token)
        assert links.unsign(SHORT, signed) == "v"
        assert links.loads(SHORT, dumped) == ["v"]
    with time_machine.travel(START + datetime.timedelta(minutes=61), tick=False):
        assert not links.check(SHORT, "v", token)
        with pytest.raises(links.BadLink):
            links.unsign(SHORT, signed)
        with pytest.raises(links.BadLink):
            links.loads(SHORT, dumped)


def test_a_token_without_time_is_refused_where_the_purpose_expires():
    timeless = signing.Signer(salt=SHORT.salt).signature("v")
    assert not links.check(SHORT, "v", timeless)
    with pytest.raises(links.BadLink):
        links.unsign(SHORT, signing.Signer(salt=SHORT.salt).sign("v"))
    assert not links.check(TRACK, "v", links.token(TRACK, "v") + "1a2b3c")  # a time where none belongs


def test_no_max_age_means_the_link_lives_on():
    with time_machine.travel(START, tick=False):
        token = links.token(TRACK, "v")
    with time_machine.travel(START + datetime.timedelta(days=3 * 365), tick=False):
        assert links.check(TRACK, "v", token)


def test_a_rotated_key_is_still_accepted_and_a_dropped_one_is_not():
    with override_settings(SECRET_KEY="old-key-" + "x" * 50):
        token, signed, dumped = links.token(TRACK, "v"), links.sign(QUOTE, "1-n"), links.dumps(TRACK, [1])
    with override_settings(SECRET_KEY="new-key-" + "y" * 50, SECRET_KEY_FALLBACKS=["old-key-" + "x" * 50]):
        assert links.check(TRACK, "v", token)
        assert links.unsign(QUOTE, signed) == "1-n"
        assert links.loads(TRACK, dumped) == [1]
        assert links.token(TRACK, "v") != token  # new tokens use the new key
    with override_settings(SECRET_KEY="new-key-" + "y" * 50, SECRET_KEY_FALLBACKS=[]):
        assert not links.check(TRACK, "v", token)
        with pytest.raises(links.BadLink):
            links.unsign(QUOTE, signed)


def test_the_old_formats_are_still_read():
    old_detached = signing.Signer(salt="t.old.track").signature("LPA-20261208-0001:key")
    assert len(old_detached) == links.SIGNATURE_LENGTH
    assert links.check(TRACK, "LPA-20261208-0001:key", old_detached)
    assert not links.check(TRACK, "LPA-20261208-0002:key", old_detached)
    assert not links.check(SHORT, "v", signing.Signer(salt="t.links.short").signature("v"))  # no legacy salt: refused
    old_embedded = signing.Signer(salt="t.old.quote").sign("12-nonce")
    assert links.unsign(QUOTE, old_embedded) == "12-nonce"
    with pytest.raises(links.BadLink):
        links.unsign(QUOTE, old_embedded.replace("12-", "13-"))
