"""The site's navigation: home, the stages in the buyer's order, the reference pages, then
every hand-written page; and the title of every generated page, for it and for each page's <title>."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from ..model.playbook import Playbook
from .pages.paging import PARTS, in_page_order, page_count, part_page
from .safe_text import anchor, plain_title
from .urls import GENERATED, PAGE_TITLES


class _File(Protocol):
    src_uri: str

    def is_documentation_page(self) -> bool: ...


def navigation(playbook: Playbook, files: Iterable[_File], generated: set[str]) -> list[Any]:
    """A MkDocs `nav` list; hand-written pages keep the titles of their own headings. `generated`
    are the pages made from the playbook: only those of GENERATED and the stages are listed."""
    generated = generated | {"index.md"}
    titles = page_titles(playbook)
    nav: list[Any] = [{"Home": "index.md"}]
    stages = [{titles[f"stages/{s.id}.md"]: f"stages/{s.id}.md"} for s in playbook.stages]
    nav.append({"Stages": stages})
    nav.extend({titles[page]: page} for page in GENERATED)
    nav.extend(sorted(f.src_uri for f in files if f.is_documentation_page() and f.src_uri not in generated))
    return nav


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
