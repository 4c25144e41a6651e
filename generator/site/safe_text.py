"""Untrusted text from the playbook made inert for Markdown: every text a template prints passes here.

Text from YAML is untrusted and passes through Markdown, where extensions act on plain
characters (`--8<--` includes files, `*[X]:` defines abbreviations, `{: ...}` sets attributes,
`<` opens raw HTML, `[x](javascript:...)` makes links). So no YAML string reaches the Markdown
as it is: while a site is built, each is an alphanumeric token that the plugin replaces with the
HTML-escaped text after Markdown has run (see Texts); for `playbook render`, every character
other than a letter, digit or space is a numeric character reference (`&#45;`). Either way no
Markdown syntax or extension can match it, and the browser shows the original text. The Jinja
environment (render.py) applies this to every `{{ value }}` on its own (`finalize`); only `Md`
strings that the generator builds (links, anchors) pass unchanged.

A text may name an agreed value, `[[discount-ae-max]]` (see rules/values.py): `inline` splits the
text at each reference it knows, writes the parts between as above, and writes the reference as a
link this module builds, to the value on the Agreed values page, holding the value's text made
inert the same way. A reference inside a link (a card, a chip, a link to an entry) is the value's
text alone.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ..model.playbook import Playbook
from ..rules.values import REFERENCE, expand
from .urls import VALUE_PREFIX, VALUES_PAGE, relative_file, relative_url

ANCHOR = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SAFE_LINK = re.compile(r"(?=[!-~]+\Z)https://[^\s<>\"'`()\\]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)(?!.*\.\.)[A-Za-z0-9._/-]+")


class Md(str):
    """Markdown the generator wrote itself: emitted as it is."""


class Texts:
    """Untrusted text kept out of Markdown altogether, for a site built by this generator.

    Each text becomes an alphanumeric token that no Markdown syntax or extension acts on; once
    Markdown has made the page's HTML, `restore` puts the HTML-escaped text in its place, in one
    pass. (Character references cost Python-Markdown a pass over the whole paragraph each: a
    paragraph of 100,000 punctuation characters took minutes.)
    """

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(6)
        self.table: dict[str, str] = {}
        self.pattern = re.compile(f"pbt{self.nonce}x[0-9]+x")

    def token(self, words: str) -> Md:
        return self.html(html.escape(words, quote=True))

    def html(self, markup: str) -> Md:
        """A token for HTML this module built itself from escaped text (a link to a value)."""
        key = f"pbt{self.nonce}x{len(self.table)}x"
        self.table[key] = markup
        return Md(key)

    def restore(self, text: str) -> str:
        """HTML (or a title) with every token replaced by its escaped text."""
        if "pbt" not in text:
            return text
        return self.pattern.sub(lambda match: self.table.get(match.group(), ""), text)


# The Texts of the rendering under way; without one, text is written as character references,
# which any Markdown engine shows as written (`playbook render`).
_TEXTS: ContextVar[Texts | None] = ContextVar("texts", default=None)


@dataclass(frozen=True)
class _Page:
    """The page being rendered, for links to the agreed values from its texts."""

    values: dict[str, str]  # id -> the value's text
    page: str  # its docs path
    directory_urls: bool


_PAGE: ContextVar[_Page | None] = ContextVar("page", default=None)


def inline(text: object, link: bool = True, values: bool = True) -> Md:
    """Untrusted text as inert Markdown on one line, whitespace collapsed: a token (see Texts)
    while a site is rendered, else every character other than a letter, digit or space
    written as a numeric character reference.

    Each reference to an agreed value (`[[discount-ae-max]]`) becomes the value's text, inert
    too, in a link to it (without one where `link` is False: in titles and inside other links).
    A reference to no known value is text as written (validation reports it). With `values`
    False, references too are text as written (the changes page quotes texts)."""
    words = " ".join(str(text).split())
    texts = _TEXTS.get()
    where = _PAGE.get()
    if not values or where is None or not where.values or "[[" not in words:
        return Md(texts.token(words) if texts is not None else _inert(words, None))
    parts = []
    last = 0
    for match in REFERENCE.finditer(words):
        value = where.values.get(match.group(1))
        if value is None:
            continue
        parts.append(_inert(words[last:match.start()], texts))
        parts.append(_value(match.group(1), value, where, texts) if link else _inert(value, texts))
        last = match.end()
    parts.append(_inert(words[last:], texts))
    return Md("".join(parts))


def _inert(words: str, texts: Texts | None) -> str:
    if not words:
        return ""
    if texts is not None:
        return texts.token(words)
    return "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in words)


# A link to a value (group 1), any other link's start, or a link's end (group 2), in any case. Each
# begins with "<", so the search looks for that one character; three alternatives with their own
# first characters made it try each at every place of the page, a fifth of a large site's build.
_VALUE_LINK = re.compile(r'<(?:(a class="pb-value" href="[^"<>]*">)|[aA]\b|(/[aA]\s*>))')


def _value(id: str, value: str, where: _Page, texts: Texts | None) -> str:
    """A link to an agreed value on its page, holding the value's text: HTML this module builds,
    with a URL made from a checked id and the value's text escaped (a token while a site is built,
    so Markdown never sees it; character references for `playbook render`)."""
    url = relative_url(where.page, f"{VALUES_PAGE}#{VALUE_PREFIX}{anchor(id)}", where.directory_urls)
    words = " ".join(value.split())
    if texts is not None:
        return texts.html(f'<a class="pb-value" href="{html.escape(url, quote=True)}">'
                          f"{html.escape(words, quote=True)}</a>")
    return f'<a class="pb-value" href="{html.escape(url, quote=True)}">{_inert(words, None)}</a>'


def unnest_value_links(page: str) -> str:
    """HTML (or Markdown with raw HTML) with every link to a value that sits inside another link
    replaced by its text: a card or a chip that is a link holds the value's text, not a second
    link. One pass; the links counted are this module's and the templates' own (texts are tokens
    or escaped, so no text can open or close one)."""
    if 'class="pb-value"' not in page:
        return page
    cuts: list[tuple[int, int]] = []  # the tags left out: nested value links and their ends
    dropped: list[bool] = []  # for each open link: whether it was a nested value link, left out
    for match in _VALUE_LINK.finditer(page):
        which = match.lastindex
        if which == 2:  # an end: left out with the nested value link it ends
            if dropped and dropped.pop():
                cuts.append(match.span())
        elif which == 1 and dropped:
            dropped.append(True)
            cuts.append(match.span())
        else:
            dropped.append(False)
    if not cuts:
        return page
    out = []
    last = 0
    for start, end in cuts:
        out.append(page[last:start])
        last = end
    out.append(page[last:])
    return "".join(out)


def strip_value_links(text: str) -> str:
    """HTML with every link to a value replaced by its text (for the table of contents)."""
    if 'class="pb-value"' not in text:
        return text
    return re.sub(r'<a class="pb-value" href="[^"<>]*">([^<]*)</a>', r"\1", text)


# Titles reach the theme unescaped: navigation and page titles are printed as they are, as HTML.
# So a title is HTML-escaped text; the plugin also gives it to the page as its `meta.title`,
# which the theme prints in <title> as it is, instead of the heading's text after `striptags`
# (which decodes character references: a decoded `</title>` would end the element).
def plain_title(text: object, values: dict[str, str] | None = None) -> str:
    """Untrusted text for a page or navigation title: one line, HTML-escaped, with the agreed
    values it names written out."""
    return html.escape(" ".join(expand(str(text), values or {}).split()), quote=True)


def title(text: object) -> Md:
    """Untrusted text for a page's first heading: inert as Markdown, values as text."""
    return inline(text, link=False)


def plain(text: object) -> Md:
    """Untrusted text inside a link: inert, with the values it names as text (no link in a link)."""
    return inline(text, link=False)


def verbatim(text: object) -> Md:
    """Untrusted text quoted as written: inert, references to values left as they are."""
    return inline(text, values=False)


def paragraphs(text: object) -> Md:
    """Untrusted text as inert Markdown paragraphs.

    A blank line in YAML starts a new paragraph. In a folded scalar (`>-`) YAML has already
    turned that blank line into a single line break, so text with no blank line left is split
    at its line breaks instead.
    """
    text = str(text).strip()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return Md("\n\n".join(inline(block) for block in blocks if block.strip()))


def html_paragraphs(text: object, between: str = "") -> Md:
    """Untrusted text as HTML paragraphs, for raw HTML blocks (see paragraphs), with `between`
    between them (a line break, as Markdown writes them)."""
    text = str(text).strip()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return Md(between.join(f"<p>{inline(block)}</p>" for block in blocks if block.strip()))


def anchor(value: object) -> Md:
    """An id as an anchor; ids are checked by the schema, and checked again here."""
    if not isinstance(value, str) or not ANCHOR.fullmatch(value):
        raise ValueError(f"not a safe anchor: {value!r}")
    return Md(value)


def ids(values: Any) -> Md:
    """Ids for a data attribute: space-separated, each checked as an anchor."""
    return Md(" ".join(anchor(v) for v in values))


def safe_link(url: str, page: str = "index.md") -> Md:
    """An https or relative link, as a Markdown link destination; anything else is refused.

    A relative link names a file in the docs folder, so it is made relative to the page.
    """
    if not SAFE_LINK.fullmatch(url):
        raise ValueError(f"not a safe link: {url!r}")
    return Md(f"<{url if url.startswith('https://') else relative_file(page, url)}>")


def finalize(value: Any) -> Any:
    """What a template prints: Md as it is, a number as its digits, any other value made inert."""
    if isinstance(value, Md):
        return value
    if isinstance(value, bool) or value is None:
        raise TypeError(f"a template printed {value!r}: print text, a number or Md")
    if isinstance(value, (int, float)):
        return Md(str(value))
    return inline(value)


@contextmanager
def rendering(texts: Texts | None) -> Iterator[None]:
    """Render with texts as tokens (a site) or, with None, as character references."""
    reset = _TEXTS.set(texts)
    try:
        yield
    finally:
        _TEXTS.reset(reset)


@contextmanager
def on_page(playbook: Playbook, page: str, directory_urls: bool) -> Iterator[None]:
    """Render the texts of one page: links to the agreed values are made relative to it."""
    reset = _PAGE.set(_Page(playbook.values, page, directory_urls))
    try:
        yield
    finally:
        _PAGE.reset(reset)


def building_site() -> bool:
    """Whether texts are written as tokens (a site is built), not as character references."""
    return _TEXTS.get() is not None
