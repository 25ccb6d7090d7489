"""Writes to the search synonym lists (``SearchSynonym``): a unit's administrator (or the Kanwil's,
for the units under it) keeps lists such as "mebel, furnitur, perabot"; every list applies to the
whole gallery's search at once (``search.forget_vocabulary`` after the commit)."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from galeri.catalog import search
from galeri.catalog.models import SearchSynonym
from galeri.catalog.services import CatalogError
from galeri.catalog.text import normalise
from galeri.core import pagecache
from galeri.units.scoping import require

ACTION = "catalog.synonyms"
MIN_WORDS, MAX_WORDS = 2, 8
WORD = re.compile(r"^[^\W_]{2,30}$")


def clean_words(text: str) -> str:
    """ "Mebel , furnitur,PERABOT" → "mebel, furnitur, perabot"; a clear error for anything else."""
    words = []
    for raw in str(text or "").replace("\x00", "").split(","):
        word = normalise(raw.strip())
        if not word:
            continue
        if not WORD.match(word):
            raise CatalogError(
                _("“%(word)s” bukan satu kata (2–30 huruf atau angka, tanpa spasi).") % {"word": raw.strip()[:40]},
                code="synonym_word",
            )
        if word not in words:
            words.append(word)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        raise CatalogError(
            _("Tulis %(min)d sampai %(max)d kata berbeda, dipisah koma (mis. mebel, furnitur).")
            % {"min": MIN_WORDS, "max": MAX_WORDS},
            code="synonym_count",
        )
    return ", ".join(words)


def _forget():
    # Now (this request reads its own change) and after the commit (a request that cached the old
    # lists meanwhile does not keep them for minutes).
    search.forget_vocabulary()
    transaction.on_commit(search.forget_vocabulary)
    pagecache.touch("catalog")  # cached search results and pages


@transaction.atomic
def save_synonym(user, *, unit, words: str, synonym: SearchSynonym | None = None) -> SearchSynonym:
    """A new list for ``unit``, or a change to one of the user's units' lists."""
    require(user, ACTION, unit)
    if synonym is not None:
        require(user, ACTION, synonym.unit)
    cleaned = clean_words(words)
    synonym = synonym or SearchSynonym()
    synonym.unit = unit
    synonym.words = cleaned
    synonym.updated_by = user
    synonym.save()
    _forget()
    return synonym


@transaction.atomic
def delete_synonym(user, synonym: SearchSynonym) -> None:
    require(user, ACTION, synonym.unit)
    synonym.delete()
    _forget()
