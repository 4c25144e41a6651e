"""The site's navigation: home, the stages in the buyer's order, the reference pages, then
every hand-written page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from ..model.playbook import Playbook
from .render import GENERATED, page_titles


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
