"""Read built HTML the way a browser would: decoded text, elements and attributes."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

BLOCKS = {"p", "li", "ul", "ol", "div", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
          "section", "nav", "header", "footer", "br", "dt", "dd", "blockquote", "article", "label", "title"}


class Page(HTMLParser):
    """One HTML page: its visible text (character references decoded), ids, links and tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href") is not None:
            self.links.append(str(values["href"]))
        self._in_script = tag == "script"
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        else:
            self.parts.append(data)

    @property
    def text(self) -> str:
        """All text, whitespace collapsed."""
        return " ".join("".join(self.parts).split())


def read_site(site: Path) -> dict[str, Page]:
    """Every HTML page of a built site, by path relative to the site folder."""
    return {p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}
