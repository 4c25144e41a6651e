"""Generated pages converted from Markdown, remembered between the builds of one `mkdocs serve`.

Every save under `mkdocs serve` rebuilds the whole site, and converting the pages' Markdown to
HTML is most of a rebuild. A generated page whose Markdown is the same as in an earlier build of
the same session, with the same files around it and the same Markdown settings, converts to the
same HTML: that HTML is taken again instead.

What makes a page the same: its path; its Markdown with each text token (see safe_text.Texts)
numbered in the order it first appears, together with the texts in that order (the tokens
themselves change every build, and two pages that differ only in where texts go must not look
alike); the Markdown extensions and their settings; and every file of the site with its address
(links are resolved against them). Only pages made by the playbook are remembered, and only when
every Markdown extension is one that reads nothing but the page (no snippet includes): a page of
docs/ may change with a file it includes.

The HTML, the table of contents and the anchors are kept with each token written as its number,
and put back with this build's tokens; links to anchors on other pages are kept by path and found
again among this build's files; the warnings a conversion logged are logged again when its HTML is
taken, so a rebuild tells what a full one tells.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..source.filecache import ContentCache
from .safe_text import Texts

# Extensions whose output depends on the page's Markdown and their settings alone.
PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks",
    *(f"markdown.extensions.{name}" for name in (
        "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
        "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
        "wikilinks")),
    *(f"pymdownx.{name}" for name in (
        "arithmatex", "betterem", "caret", "critic", "details", "emoji", "escapeall", "highlight", "inlinehilite",
        "keys", "magiclink", "mark", "progressbar", "saneheaders", "smartsymbols", "superfences", "tabbed",
        "tasklist", "tilde", "blocks.admonition", "blocks.details", "blocks.tab")),
})

# The HTML of a few hundred pages of a large playbook: bounded, the oldest out first.
PAGES = ContentCache(budget=256 * 1024 * 1024)
# Written in place of a token in what is kept: random per process, so no page can hold it.
_MARK = f"pbc{secrets.token_hex(6)}x"
_MARKED = re.compile(re.escape(_MARK) + "([0-9]+)x")


def usable(config: Any) -> bool:
    """Whether pages built with this configuration may be remembered."""
    return all(isinstance(name, str) and name in PURE_EXTENSIONS for name in config["markdown_extensions"])


def markdown_settings(config: Any) -> str | None:
    """The Markdown extensions and their settings, and how links are validated, when generated
    pages may be remembered."""
    return _settings(config) if usable(config) else None


def _settings(config: Any) -> str:
    return repr((config["markdown_extensions"], config["mdx_configs"], config.validation))


def site_signature(config: Any, files: Any) -> tuple[Any, ...]:
    """What, besides its Markdown, a page's conversion depends on; made once per build."""
    return (_settings(config), config.use_directory_urls, tuple(sorted((f.src_uri, f.url) for f in files)))


@dataclass(frozen=True)
class _Kept:
    content: str
    toc: tuple[Any, ...]
    title: str | None
    anchors: frozenset[str] | None
    links: dict[str, dict[str, str]] | None  # by the path of the page linked to
    said: tuple[tuple[str, int, str], ...]  # the warnings logged: logger, level, message

    def size(self) -> int:
        return 2 * len(self.content) + 200 * (len(self.toc) + len(self.said)) + 1000


class _Heard(logging.Handler):
    """The warnings MkDocs logs while one page is converted."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append((record.name, record.levelno, record.getMessage()))


def remember(page: Any, texts: Texts, signature: tuple[Any, ...]) -> None:
    """Make page.render take the HTML of an identical earlier conversion, or convert the page
    and keep what it made."""
    convert: Callable[[Any, Any], None] = page.render

    def render(config: Any, files: Any) -> None:
        order: dict[str, int] = {}
        tokens: list[str] = []

        def number(match: re.Match[str]) -> str:
            token = match.group()
            found = order.get(token)
            if found is None:
                found = order[token] = len(tokens)
                tokens.append(token)
            return f"{_MARK}{found}x"

        def mark(text: str) -> str:
            """Each of this build's tokens in text written as its number."""
            return texts.pattern.sub(number, text) if "pbt" in text else text

        shape = mark(page.markdown)
        said: list[str] = []
        while len(said) < len(tokens):  # a text may hold tokens of its own (a line of links)
            said.append(mark(texts.table.get(tokens[len(said)], "")))
        key = (page.file.src_uri, shape, tuple(said), signature)
        known = len(tokens)
        kept: _Kept | None = PAGES.get(key)
        if kept is not None:
            _put_back(page, kept, tokens, files)
            return
        heard = _Heard()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(heard)
        try:
            convert(config, files)
        finally:
            mkdocs_log.removeHandler(heard)
        kept = _keep(page, mark, heard.said)
        if len(tokens) == known:  # the HTML holds no token its Markdown did not: it can be put back
            PAGES.put(key, kept, kept.size())

    page.render = render


def _tokens(tokens: list[str]) -> Callable[[str], str]:
    """Each number written in a kept text replaced by this build's token."""
    return lambda text: _MARKED.sub(lambda m: tokens[int(m.group(1))], text) if _MARK in text else text


def _keep(page: Any, mark: Callable[[str], str], said: list[tuple[str, int, str]]) -> _Kept:
    links = page.links_to_anchors
    return _Kept(
        content=mark(page.content or ""),
        toc=tuple(_toc_out(item, mark) for item in page.toc),
        title=mark(page._title_from_render) if page._title_from_render else page._title_from_render,
        anchors=frozenset(mark(a) for a in page.present_anchor_ids) if page.present_anchor_ids is not None else None,
        links=None if links is None else {
            to.src_uri: {mark(anchor): mark(url) for anchor, url in found.items()} for to, found in links.items()},
        said=tuple((name, level, mark(message)) for name, level, message in said))


def _put_back(page: Any, kept: _Kept, tokens: list[str], files: Any) -> None:
    token = _tokens(tokens)
    page.content = token(kept.content)
    page.toc = TableOfContents([_toc_in(item, token) for item in kept.toc])
    if len(page.toc):
        page.toc.items[0].active = True  # as MkDocs marks the first entry
    page._title_from_render = token(kept.title) if kept.title else kept.title
    page.present_anchor_ids = None if kept.anchors is None else {token(a) for a in kept.anchors}
    if kept.links is not None:
        page.links_to_anchors = {
            files.get_file_from_path(uri): {token(anchor): token(url) for anchor, url in found.items()}
            for uri, found in kept.links.items() if files.get_file_from_path(uri) is not None}
    for name, level, message in kept.said:
        logging.getLogger(name).log(level, "%s", token(message))


def _toc_out(item: AnchorLink, mark: Callable[[str], str]) -> tuple[Any, ...]:
    return (mark(item.title), mark(item.id), item.level, tuple(_toc_out(child, mark) for child in item.children))


def _toc_in(kept: tuple[Any, ...], token: Callable[[str], str]) -> AnchorLink:
    title, id, level, children = kept
    item = AnchorLink(token(title), token(id), level)
    item.children = [_toc_in(child, token) for child in children]
    return item
