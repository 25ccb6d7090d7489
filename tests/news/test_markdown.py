"""The safe subset of Markdown (galeri/news/markdown.py): what staff may write comes out as the
few tags allowed, and nothing dangerous ever comes out, whatever is typed (hypothesis)."""

import re

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galeri.news.markdown import ATTRIBUTES, TAGS, plain_text, render, summary


def test_the_subset_renders():
    out = render(
        "# Judul\n\n## Sub\n\n#### Dalam\n\nTeks *miring* dan **tebal** dengan [tautan](https://contoh.id/a?b=1).\n\n"
        "- satu\n- dua\n\n3. tiga\n4. empat\n\n> kutipan\n"
    )
    assert "<h2>Judul</h2>" in out and "<h2>Sub</h2>" in out and "<h3>Dalam</h3>" in out
    assert "<em>miring</em>" in out and "<strong>tebal</strong>" in out
    assert '<a href="https://contoh.id/a?b=1" rel="nofollow noopener">tautan</a>' in out
    assert "<ul>" in out and '<ol start="3">' in out and "<blockquote>" in out
    assert "<h1" not in out


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik](java\tscript:alert(1))",
        "[klik](data:text/html;base64,PHNjcmlwdD4=)",
        "[klik](vbscript:msgbox(1))",
        '[klik](https://a.id "x" onmouseover="alert(1)")',
        "![foto](https://contoh.id/a.png)",
        "<a href='https://a.id' onclick='x()'>a</a>",
        "```\n<script>x</script>\n```",
        "    <script>indented code</script>",
        "<!-- komentar --><style>body{}</style>",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "<https://contoh.id>",
    ],
)
def test_dangerous_input_comes_out_harmless(text):
    out = render(text)
    assert_safe(out)


def test_no_raw_html_and_no_images():
    assert "&lt;script&gt;" in render("<script>alert(1)</script>")
    assert "<img" not in render("![foto](https://contoh.id/a.png)")
    assert "<table" not in render("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<pre" not in render("```\nkode\n```") and "<code" not in render("`kode`")


def test_only_http_https_and_mailto_links():
    assert 'href="mailto:galeri@contoh.id"' in render("[surel](mailto:galeri@contoh.id)")
    assert 'href="http://contoh.id"' in render("[a](http://contoh.id)")
    assert "href" not in render("[a](ftp://contoh.id/x)")
    assert "href" not in render("[a](tel:+62911)")


def test_summary_is_plain_text_cut_at_a_word():
    text = "**Tas** anyaman " + "pandan " * 60
    short = summary(text, 50)
    assert short.startswith("Tas anyaman pandan") and short.endswith("…") and len(short) <= 50
    assert "<" not in plain_text("**a** *b* [c](https://x.id)")


def scheme_of(url):
    """The scheme a browser would see: tabs and newlines removed, leading spaces and controls dropped."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f \x1f")
    found = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return found.group(1).lower() if found else ""


_ALLOWED_ATTRS = {attr for attrs in ATTRIBUTES.values() for attr in attrs} | {"rel"}


def assert_safe(out):
    lowered = out.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered and "<style" not in lowered
    # Parse it like a browser: only allowed tags, only allowed attributes, links only http(s)/mailto.
    fragment = html5lib.parseFragment(out, namespaceHTMLElements=False)
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "DOCUMENT_FRAGMENT":
            continue
        assert element.tag in TAGS, element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name in _ALLOWED_ATTRS, name
            if name == "href":
                assert scheme_of(value) in {"", "http", "https", "mailto"}, value
            if name == "rel":
                assert value == "nofollow noopener"


FRAGMENTS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:",
        "JAVASCRIPT:",
        "jav&#x09;ascript:",
        "&#106;avascript:",
        "onload=",
        " onmouseover=",
        "[",
        "](",
        ")",
        "![",
        "<",
        ">",
        '"',
        "'",
        "`",
        "*",
        "**",
        "_",
        "#",
        "## ",
        "> ",
        "- ",
        "1. ",
        "\n",
        "\n\n",
        "<a href=",
        "<svg/onload=alert(1)>",
        "data:text/html,",
        "mailto:",
        "https://contoh.id/",
        "&lt;",
        "&",
        "\\",
        "<!--",
        "-->",
        "<style>",
        "<iframe src=",
        "\x00",
        "\u202e",
    ]
)
MARKDOWNISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWNISH)
def test_fuzz_nothing_dangerous_ever_comes_out(text):
    assert_safe(render(text))
    assert "<" not in summary(text) or "<" in text  # a summary is the post's words, never new markup


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_any_text(text):
    assert_safe(render(text))
