"""Generated pages written straight as HTML, for a site: the Assets pages, most of a large
playbook's pages, do not pass through Python-Markdown, which took most of the time of building
them. Their templates write the HTML that Markdown would have made of the Markdown templates,
with the same tokens for texts (safe_text.py) and the same headings, ids and table of contents
(`tests/test_html_pages.py` compares both ways on whole sites).

A heading is written as the site's `toc` extension writes one: its id, its permanent link. Only
a site whose Markdown extensions cannot change what these pages show gets them as HTML; any
other extension, or another setting of `toc`, and every page goes through Markdown as before.
`playbook render` always writes Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown.extensions.toc import slugify as default_slugify  # type: ignore[import-untyped]
from markdown.extensions.toc import unique

from .safe_text import Md, Texts, finalize, strip_value_links

# Extensions that change nothing in what the Markdown templates of these pages hold (headings with
# ids, tables, lists, emphasis, links and raw HTML with tokens for texts); `toc` and `attr_list`,
# which make their headings, are needed.
_NEUTRAL = {"toc", "tables", "fenced_code", "attr_list", "admonition", "md_in_html", "def_list", "footnotes",
            "meta", "sane_lists", "markdown.extensions.toc", "markdown.extensions.tables",
            "markdown.extensions.fenced_code", "markdown.extensions.attr_list", "markdown.extensions.admonition",
            "markdown.extensions.md_in_html", "markdown.extensions.def_list", "markdown.extensions.footnotes",
            "markdown.extensions.meta", "markdown.extensions.sane_lists", "pymdownx.details",
            "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight", "pymdownx.inlinehilite",
            "pymdownx.snippets", "pymdownx.tasklist", "pymdownx.emoji", "pymdownx.tilde", "pymdownx.caret",
            "pymdownx.mark", "pymdownx.keys"}
_TOC_SETTINGS = {"permalink", "slugify", "separator"}
# The `id` attributes of a page, for the anchors other pages may link to.
_IDS = re.compile(r'\sid="([^"<>]+)"')


@dataclass(frozen=True)
class HeadingStyle:
    """How the site's `toc` extension writes a heading."""

    permalink: bool
    slugify: Callable[[str, str], str]
    separator: str


def heading_style(extensions: list[Any], settings: dict[str, Any]) -> HeadingStyle | None:
    """The site's way of writing headings, or None when a page written as HTML could differ from
    the same page converted by Markdown."""
    names = [e if isinstance(e, str) else None for e in extensions]
    if None in names or not set(names) <= _NEUTRAL:
        return None
    if not {"toc", "attr_list"} <= {str(n).rsplit(".", 1)[-1] for n in names}:
        return None
    toc = settings.get("toc") or settings.get("markdown.extensions.toc") or {}
    if not isinstance(toc, dict) or set(toc) - _TOC_SETTINGS:
        return None
    permalink = toc.get("permalink", False)
    slug = toc.get("slugify", default_slugify)
    separator = toc.get("separator", "-")
    if permalink not in (True, False) or not callable(slug) or not isinstance(separator, str):
        return None
    return HeadingStyle(bool(permalink), slug, separator)


@dataclass
class HtmlPage:
    """A page written as HTML (with tokens for texts) and its headings, for its contents."""

    html: str
    # (level, id, the heading's HTML) in the order of the page.
    headings: list[tuple[int, str, str]] = field(default_factory=list)

    def toc_tokens(self) -> list[dict[str, Any]]:
        """The headings as Markdown's `toc` extension gives them to MkDocs: nested by level."""
        root: list[dict[str, Any]] = []
        open_: list[dict[str, Any]] = []
        for level, id, text in self.headings:
            token: dict[str, Any] = {"level": level, "id": id, "name": text, "children": []}
            while open_ and open_[-1]["level"] >= level:
                open_.pop()
            (open_[-1]["children"] if open_ else root).append(token)
            open_.append(token)
        return root

    def anchor_ids(self) -> set[str]:
        """Every id of the page: the anchors a link from another page may name."""
        return set(_IDS.findall(self.html))


def heading_writer(style: HeadingStyle, page: HtmlPage, taken: set[str]) -> Callable[..., Md]:
    """`heading(level, text, id)` for a template: the heading as HTML, noted in page. Without an
    id, it takes the one the `toc` extension would give it, among the ids the page gives (taken)."""

    def heading(level: int, text: object, id: str | None = None) -> Md:
        shown = text if isinstance(text, Md) else finalize(text)
        if id is None:  # the template's own words (Md), not a text of the playbook
            id = str(unique(style.slugify(str(shown), style.separator), set(taken)))
        page.headings.append((level, id, shown))
        at = html.escape(id, quote=True)
        link = f'<a class="headerlink" href="#{at}" title="Permanent link">&para;</a>' if style.permalink else ""
        return Md(f'<h{level} id="{at}">{shown}{link}</h{level}>')

    return heading


def restore_toc(items: Any, texts: Texts) -> None:
    """The texts of a page's contents put back (see Texts), without links to values."""
    for item in items:
        item.title = strip_value_links(texts.restore(item.title))
        restore_toc(item.children, texts)
