"""The reference pages shown as runs of pages: the assets, the glossary and the personas.

Each is split into pages of so many entries, so no page grows with the playbook: assets.md, then
assets-2.md, assets-3.md ... This module says which page each entry is on, in the order the pages
show them, and what one page of a run shows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from ...model.playbook import Playbook
from ..safe_text import Md
from ..urls import relative_path, relative_url
from .glossary import Letter, glossary_groups

# How many entries a page of each run holds.
ASSETS_PER_PAGE = 100
TERMS_PER_PAGE = 150
PERSONAS_PER_PAGE = 40
# The kinds shown on a run of pages: the first page, and how many entries a page holds.
PARTS = {"asset": ("assets.md", ASSETS_PER_PAGE), "term": ("glossary.md", TERMS_PER_PAGE),
         "persona": ("personas.md", PERSONAS_PER_PAGE)}


def part_page(kind: str, number: int) -> str:
    """The docs path of page `number` (0 is the first) of a kind shown on a run of pages."""
    first = PARTS[kind][0]
    return first if number == 0 else f"{first[:-3]}-{number + 1}.md"


def in_page_order(playbook: Playbook, kind: str) -> list[Any]:
    """The entries of a kind of PARTS in the order its pages show them."""
    if kind == "term":
        return [term for group in glossary_groups(playbook) for term in group.terms]
    return list(playbook.assets if kind == "asset" else playbook.personas)


def page_count(kind: str, entries: int) -> int:
    """How many pages show so many entries of a kind of PARTS (at least one)."""
    return max(1, -(-entries // PARTS[kind][1]))


def _on_pages(kind: str, entries: list[Any]) -> dict[str, str]:
    """The page each entry is on, for entries of a kind of PARTS in the pages' order."""
    per = PARTS[kind][1]
    return {entry.id: part_page(kind, i // per) for i, entry in enumerate(entries)}


def entry_pages(playbook: Playbook) -> dict[str, dict[str, str]]:
    """For each kind of PARTS, the page each entry is on: so many to a page, in the pages' order."""
    return {kind: _on_pages(kind, in_page_order(playbook, kind)) for kind in PARTS}


@dataclass(frozen=True)
class GlossaryPages:
    """The glossary's letters, where each starts, and each page's terms by letter."""

    starts: list[tuple[Letter, str]]  # each letter and the page of its first term
    by_page: dict[str, list[Letter]]


def glossary_pages(groups: list[Letter]) -> GlossaryPages:
    """Where the glossary's letters fall on its pages (a letter may run over two)."""
    pages = _on_pages("term", [term for group in groups for term in group.terms])
    by_page: dict[str, list[Letter]] = {}
    for group in groups:
        for term in group.terms:
            shown = by_page.setdefault(pages[term.id], [])
            if not shown or shown[-1].anchor != group.anchor:
                shown.append(Letter(group.initial, group.anchor, []))
            shown[-1].terms.append(term)
    return GlossaryPages([(g, pages[g.terms[0].id]) for g in groups], by_page)


def part_context(kind: str, chunk: list[Any], page: str, glossary: GlossaryPages,
                 directory_urls: bool) -> dict[str, Any]:
    """What one page of a run shows: its entries; on a glossary page, its terms by letter, the
    link to each letter wherever it starts, and the way to the topics on the first page."""
    if kind == "asset":
        return {"assets": chunk}
    if kind == "persona":
        return {"personas": chunk}
    letters = []
    for group, where in glossary.starts:
        url = f"#{group.anchor}" if where == page else relative_url(page, f"{where}#{group.anchor}", directory_urls)
        letters.append((group.initial, Md(html.escape(url, quote=True))))
    return {"page_groups": glossary.by_page.get(page, []), "letters": letters,
            "topics_page": Md("" if page == PARTS["term"][0] else relative_path(page, PARTS["term"][0]))}
