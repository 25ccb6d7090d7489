"""Forgiving search: the closest known word for a misspelt one ("anyman" → "anyaman").

Known words are the words buyers see: the (normalised, unstemmed) words of published product
names, category names and the synonym lists, each with how many products use it. A misspelt
query word is replaced by a known word within a small Damerau–Levenshtein distance (1 for words of
4–6 letters, 2 from 7 letters; shorter words are left alone), the most used one on a tie. So the
search page can say "Maksud Anda: anyaman" with a word the buyer recognises, and the corrected
query is stemmed and searched like any other.

Candidates come from a symmetric-delete index (every known word and its one-letter deletions →
the words), built once per process for each version of the vocabulary: a lookup touches a few
dozen dictionary keys instead of comparing the word with every known word, so it stays fast with
100,000 products (bench/search.py). The vocabulary itself is shared through the cache and rebuilt
after a change to the catalogue (``forget``), or after ``VOCABULARY_TTL`` at the latest.
"""

import bisect
import secrets
import threading
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from galeri.catalog.models import Category, Product, SearchSynonym
from galeri.catalog.text import WORD_RE, normalise, stem_words

VOCABULARY_CACHE_KEY = "catalog:search:vocabulary:v2"
VOCABULARY_TTL = 5 * 60
MIN_LENGTH = 4  # "tas", "kue": too short to guess at
MAX_WORD = 30

_local_index = {}
_index_lock = threading.Lock()


@dataclass(frozen=True)
class Vocabulary:
    version: str
    counts: dict  # word -> how many names and lists use it
    only_stems: frozenset = frozenset()  # known as a stem only, never written so

    def __contains__(self, word):
        return word in self.counts


def _words(text):
    return [w for w in WORD_RE.findall(normalise(text or "")) if not w.isdigit() and len(w) <= MAX_WORD]


def load(alias: str) -> Vocabulary:
    counts, stems = Counter(), Counter()
    names = Product.objects.using(alias).published().values_list("name", "search_title").order_by()
    for name, title in names.iterator(chunk_size=5000):
        counts.update(set(_words(name)))
        stems.update(set(title.split()))
    for name, name_en in Category.objects.using(alias).values_list("name", "name_en"):
        counts.update(set(_words(f"{name} {name_en}")))
        stems.update(set(stem_words(name)))
    for words in SearchSynonym.objects.using(alias).values_list("words", flat=True):
        counts.update(set(_words(words)))
    # Stems ("anyam") are known words too, but a word as buyers write it wins a tie.
    only_stems = frozenset(stems) - set(counts)
    for stem, n in stems.items():
        counts[stem] = max(counts[stem], n)
    return Vocabulary(version=secrets.token_hex(8), counts=dict(counts), only_stems=only_stems)


def vocabulary(alias: str) -> Vocabulary:
    found = cache.get(VOCABULARY_CACHE_KEY)
    if found is None:
        found = load(alias)
        cache.set(VOCABULARY_CACHE_KEY, found, VOCABULARY_TTL)
    return found


def forget() -> None:
    cache.delete(VOCABULARY_CACHE_KEY)


def _deletes(word):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _index(vocab: Vocabulary):
    """({key: [words]} with each word under itself and its one-letter deletions, the sorted words),
    built once per process for each vocabulary version."""
    found = _local_index.get(vocab.version)
    if found is not None:
        return found
    with _index_lock:
        found = _local_index.get(vocab.version)
        if found is None:
            index = {}
            for word in vocab.counts:
                if len(word) < MIN_LENGTH - 1:
                    continue
                for key in _deletes(word) | {word}:
                    index.setdefault(key, []).append(word)
            found = (index, sorted(vocab.counts))
            _local_index.clear()  # only the current version is kept
            _local_index[vocab.version] = found
    return found


def distance(a: str, b: str) -> int:
    """Damerau–Levenshtein (optimal string alignment): an adjacent swap counts as one edit."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowed_distance(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) < 7 else 2


def closest(word: str, vocab: Vocabulary) -> str | None:
    """The known word closest to ``word`` within its allowed distance, or None."""
    limit = allowed_distance(word)
    if not limit or word in vocab:
        return None
    index, _sorted = _index(vocab)
    keys = {word} | _deletes(word)
    if limit > 1:
        keys |= {d2 for d in _deletes(word) for d2 in _deletes(d)}
    candidates = {c for key in keys for c in index.get(key, ())}
    best = None
    for candidate in candidates:
        d = distance(word, candidate)
        if d <= limit:
            rank = (d, candidate in vocab.only_stems, -vocab.counts[candidate], candidate)
            if best is None or rank < best:
                best = rank
    return best[-1] if best else None


def correct(query: str, vocab: Vocabulary) -> str | None:
    """The query with each misspelt word replaced ("tas anyman" → "tas anyaman"), or None when
    nothing changed."""
    words = _words(query)
    fixed = [closest(w, vocab) or w for w in words]
    return " ".join(fixed) if fixed != words else None


def completions(prefix: str, vocab: Vocabulary, limit: int = 5) -> list[str]:
    """Known words starting with the last word typed, most used first (for suggestions)."""
    words = _words(prefix)
    if not words or len(words[-1]) < 2:
        return []
    last = words[-1]
    _index_map, ordered = _index(vocab)
    found = []
    for word in ordered[bisect.bisect_left(ordered, last) :]:
        if not word.startswith(last):
            break
        if word != last and word not in vocab.only_stems:
            found.append(word)
    found.sort(key=lambda w: (-vocab.counts[w], w))
    return found[:limit]
