"""The English catalog is complete and safe to interpolate.

The gettext source strings are Indonesian; ``galeri/locale/en/LC_MESSAGES``
holds the English. These tests read the committed ``django.po`` with the
standard library only and check that:

* no entry is left untranslated or marked fuzzy (Django would show the
  Indonesian text, or silently skip the fuzzy guess);
* every translation keeps the same ``%``-placeholders (``%(name)s``, ``%d``,
  ``%%``) and ``{}``-placeholders (``{name}``, ``{{ x }}``) as its source, so
  ``_("…") % {...}`` and ``.format()`` never raise or drop a value;
* leading and trailing whitespace is kept (strings are joined in code);
* the committed ``django.mo`` was compiled from this ``django.po``.

When one fails after ``makemessages``: translate the listed entries, drop the
fuzzy flag, then run ``compilemessages -l en``.
"""

import gettext
import re
from pathlib import Path

import pytest

import galeri

LC_MESSAGES = Path(galeri.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# printf-style: %(name)s, %s, %d, %+d, %.1f, %% ... but not the "%)" of "(%)".
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
# str.format and template style: {name}, {0}, {}, {x:>3}, {{ x }}.
BRACES = re.compile(r"\{\{.*?\}\}|\{[A-Za-z_0-9]*(?:[:!.][^{}]*)?\}")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _new_entry(lineno):
    return {"line": lineno, "flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}


def parse_po(path):
    """The active entries of a .po file: dicts with line, flags, msgctxt, msgid, msgid_plural, msgstr {index: text}.

    Obsolete (``#~``) and previous-msgid (``#|``) lines are skipped.
    """
    entries = []
    entry = None
    target = None  # (key, index) the next continuation line belongs to
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
                entry = None
            if line.startswith("#,"):
                entry = entry or _new_entry(lineno)
                entry["flags"].update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            target = None
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.group(1), match.group(2), _unescape(match.group(3))
            if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgid"] is not None:
                entries.append(entry)
                entry = None
            entry = entry or _new_entry(lineno)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry["msgstr"][target[1]] = text
            else:
                target = (keyword, None)
                entry[keyword] = text
            continue
        match = _CONTINUATION.match(line)
        assert match and entry is not None and target is not None, f"{path.name}:{lineno}: cannot parse {raw!r}"
        text = _unescape(match.group(1))
        if target[0] == "msgstr":
            entry["msgstr"][target[1]] += text
        else:
            entry[target[0]] += text
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalog():
    entries = parse_po(PO_PATH)
    header = [e for e in entries if e["msgid"] == "" and e["msgctxt"] is None]
    assert len(header) == 1, "the .po needs exactly one header entry"
    return [e for e in entries if e is not header[0]]


def _where(entry):
    return f"django.po:{entry['line']}: {entry['msgid'][:70]!r}"


def _forms(entry):
    """(source text, translation) pairs: in English msgstr[0] answers msgid and msgstr[1] msgid_plural."""
    if entry["msgid_plural"] is None:
        return [(entry["msgid"], entry["msgstr"].get(0, ""))]
    return [(entry["msgid"] if i == 0 else entry["msgid_plural"], text) for i, text in sorted(entry["msgstr"].items())]


def test_catalog_is_parsed(catalog):
    assert len(catalog) > 1000
    assert any(e["msgid"] == "Keranjang" and e["msgstr"][0] == "Cart" for e in catalog)
    assert any(e["msgid_plural"] for e in catalog)


def test_no_entry_is_untranslated_or_fuzzy(catalog):
    fuzzy = [_where(e) for e in catalog if "fuzzy" in e["flags"]]
    untranslated = [_where(e) for e in catalog if not e["msgstr"] or any(not text for text in e["msgstr"].values())]
    plural_forms = [_where(e) for e in catalog if e["msgid_plural"] is not None and sorted(e["msgstr"]) != [0, 1]]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries:\n" + "\n".join(fuzzy[:40])
    assert not untranslated, f"{len(untranslated)} untranslated entries:\n" + "\n".join(untranslated[:40])
    assert not plural_forms, "plural entries need msgstr[0] and msgstr[1]:\n" + "\n".join(plural_forms[:40])


def test_translations_keep_placeholders(catalog):
    problems = []
    for entry in catalog:
        for source, text in _forms(entry):
            for name, pattern in (("%", PERCENT), ("{}", BRACES)):
                want, got = set(pattern.findall(source)), set(pattern.findall(text))
                if want != got:
                    problems.append(f"{_where(entry)}: {name}-placeholders {sorted(got)} instead of {sorted(want)}")
    assert not problems, "\n".join(problems[:40])


def _outer_whitespace(text):
    return re.match(r"\s*", text).group(), re.search(r"\s*$", text).group()


def test_translations_keep_outer_whitespace(catalog):
    problems = []
    for entry in catalog:
        for source, text in _forms(entry):
            if _outer_whitespace(text) != _outer_whitespace(source):
                problems.append(f"{_where(entry)}: whitespace around {text[:50]!r}")
    assert not problems, "\n".join(problems[:40])


def test_compiled_mo_matches_po(catalog):
    with MO_PATH.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for entry in catalog:
        msgid, ctx = entry["msgid"], entry["msgctxt"]
        if entry["msgid_plural"] is None:
            got = compiled.pgettext(ctx, msgid) if ctx is not None else compiled.gettext(msgid)
            if got != entry["msgstr"].get(0):
                stale.append(_where(entry))
            continue
        for n, index in ((1, 0), (2, 1)):
            if ctx is not None:
                got = compiled.npgettext(ctx, msgid, entry["msgid_plural"], n)
            else:
                got = compiled.ngettext(msgid, entry["msgid_plural"], n)
            if got != entry["msgstr"].get(index):
                stale.append(_where(entry))
                break
    assert not stale, "django.mo is out of date; run compilemessages -l en:\n" + "\n".join(stale[:40])
