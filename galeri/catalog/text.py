"""Words of Indonesian text as search sees them: normalised (lower case, no diacritics), split on
anything that is not a letter or digit, function words dropped, stemmed with Snowball's Indonesian
stemmer ("menganyam", "dianyam", "anyaman" → "anyam")."""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# Letters and digits of any script; "_" is punctuation to both FTS engines.
WORD_RE = re.compile(r"[^\W_]+")
# Longer "words" are junk; the cap keeps every term well under the engines' limits.
MAX_WORD_LENGTH = 40

# Function words that carry no meaning in a product search. Kept short on
# purpose: only words that can never be what a buyer is looking for.
STOPWORDS = frozenset(
    """
    ada adalah agar akan atau bagi bahwa dalam dan dari dengan di dgn hingga ini itu jika juga
    kah kalau karena ke lah maka namun nya oleh pada para pun sampai saja sebagai secara serta
    si supaya tapi telah tetapi untuk utk yaitu yakni yang yg
    a an and for of the to with
    """.split()
)

# A Snowball stemmer keeps state while it works: one per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("indonesian")
    return stemmer


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    # A pure function of its argument: the cache only saves time.
    return _stemmer().stemWord(word)


def normalise(text: str) -> str:
    """Lower case without diacritics, compatibility forms folded ("²" -> "2")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem_words(text: str) -> list[str]:
    """The stems of the meaningful words of ``text``, in order, repeats kept."""
    stems = []
    for word in WORD_RE.findall(normalise(text or "")):
        if word in STOPWORDS:
            continue
        stemmed = stem(word[:MAX_WORD_LENGTH])
        if stemmed:
            stems.append(stemmed)
    return stems
