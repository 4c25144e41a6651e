"""The site's navigation, by who reads it: home; "On a call" (the stages in the buyer's order, then
the pages a rep sends from); "New here" (the way in for a new hire); "For authors" (what those who
change the playbook need, and every other hand-written page). And the title of every generated
page, for it and for each page's <title>."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from ..model.playbook import Playbook
from .pages.paging import PARTS, in_page_order, page_count, part_page
from .safe_text import anchor, plain_title
from .urls import PAGE_TITLES

# The sections, by their title, and the pages of each in order. "On a call" opens with the stage
# pages. A hand-written page named here (docs/propose-a-change.md, docs/benchmark.md) takes its
# place when the docs folder has it; any other hand-written page ends "For authors". Every page of
# GENERATED is in one section (tests/test_site.py holds them together).
ON_A_CALL, NEW_HERE, FOR_AUTHORS = "On a call", "New here", "For authors"
SECTIONS: dict[str, tuple[str, ...]] = {
    ON_A_CALL: ("finder.md", "assets.md", "personas.md"),
    NEW_HERE: ("start-here.md", "lifecycle.md", "glossary.md", "metrics.md", "about.md"),
    FOR_AUTHORS: ("propose-a-change.md", "coverage.md", "review.md", "changes.md", "values.md", "rules.md",
                  "benchmark.md"),
}


class _File(Protocol):
    src_uri: str

    def is_documentation_page(self) -> bool: ...


def navigation(playbook: Playbook, files: Iterable[_File], generated: set[str]) -> list[Any]:
    """A MkDocs `nav` list: Home, then a section for each audience (SECTIONS). Hand-written pages
    are listed by path, so they keep the titles of their own headings. `generated` are the pages
    made from the playbook: of those only the stages, the home page and those of SECTIONS are listed
    (the later pages of a run are reached from its first)."""
    generated = generated | {"index.md"}
    titles = page_titles(playbook)
    written = {f.src_uri for f in files if f.is_documentation_page() and f.src_uri not in generated}

    def listed(page: str) -> list[Any]:
        if page in titles:
            return [{titles[page]: page}]
        return [page] if page in written else []

    stages: list[Any] = [{titles[f"stages/{anchor(s.id)}.md"]: f"stages/{anchor(s.id)}.md"} for s in playbook.stages]
    sections = {title: [item for page in pages for item in listed(page)] for title, pages in SECTIONS.items()}
    sections[ON_A_CALL][:0] = stages
    named = {page for pages in SECTIONS.values() for page in pages}
    sections[FOR_AUTHORS].extend(sorted(written - named))
    return [{"Home": "index.md"}, *({title: items} for title, items in sections.items() if items)]


def page_titles(playbook: Playbook) -> dict[str, str]:
    """The title of every generated page, as HTML-escaped text (see plain_title)."""
    titles = {f"stages/{anchor(s.id)}.md": plain_title(f"{s.order}. {s.name}", playbook.values)
              for s in playbook.stages}
    titles.update((page, plain_title(name)) for page, name in PAGE_TITLES.items())
    for kind in PARTS:
        count = page_count(kind, len(in_page_order(playbook, kind)))
        name = PAGE_TITLES[PARTS[kind][0]]
        titles.update((part_page(kind, n), plain_title(f"{name}, page {n + 1} of {count}")) for n in range(1, count))
    titles["index.md"] = plain_title(playbook.settings.site_name, playbook.values)
    return titles
