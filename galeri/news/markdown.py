"""The safe subset of Markdown staff write news in, rendered to HTML that is safe by construction.

Two locks, one behind the other:

1. ``markdown-it-py`` with the ``zero`` preset and only these rules on: paragraphs, emphasis and
   strong, links, bullet and numbered lists, headings (``#`` and ``##`` become ``<h2>``, deeper
   ones ``<h3>``) and block quotes. Raw HTML is off (typed ``<script>`` is shown as text), images,
   tables, code blocks and autolinks are not rules at all, and the parser's own link check refuses
   ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` targets.
2. ``nh3`` (the Rust ``ammonia`` sanitiser) cleans what comes out against an allow-list: only the
   tags above, only ``href`` on links (``http``, ``https``, ``mailto``) and ``start`` on numbered
   lists; every link gets ``rel="nofollow noopener"``.

``render(text)`` gives the HTML for a page or the Atom feed; ``summary(text)`` plain text for
share previews and lists.
"""

import html

import nh3
from markdown_it import MarkdownIt

BLOCK_RULES = ["paragraph", "heading", "list", "blockquote"]
INLINE_RULES = ["emphasis", "link", "escape", "newline"]
TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "h2", "h3", "blockquote", "br"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"


def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": False})
    parser.enable(BLOCK_RULES).enable(INLINE_RULES)
    parser.add_render_rule("heading_open", _heading)
    parser.add_render_rule("heading_close", _heading)
    return parser


def _heading(self, tokens, idx, options, env):
    token = tokens[idx]
    level = int(token.tag[1:])
    token.tag = "h2" if level <= 2 else "h3"
    return self.renderToken(tokens, idx, options, env)


_PARSER = _parser()


def render(text: str) -> str:
    """Staff's Markdown as sanitised HTML (an empty string for empty text)."""
    raw = _PARSER.render(text or "")
    return nh3.clean(
        raw,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def plain_text(text: str) -> str:
    """The words of the post, without any markup (for previews, feeds and search snippets)."""
    words = nh3.clean(render(text).replace("</", " </"), tags=set(), attributes={})
    return " ".join(html.unescape(words).split())


def summary(text: str, limit: int = 200) -> str:
    words = plain_text(text)
    if len(words) <= limit:
        return words
    cut = words[: limit - 1].rsplit(" ", 1)[0] or words[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"
