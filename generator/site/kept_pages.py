"""Pages of a run (Assets, Personas, Glossary) remembered between the builds of one `mkdocs serve`.

The Assets pages hold every asset, a hundred to a page, the Personas and Glossary pages every
persona and term: on a large playbook, writing them is most of a rebuild, and a saved asset
changes one Assets page, and rarely any other. A page is taken again, as the last build finished
it (texts in place, contents and anchors), when everything it is made from is equal to what the
last build made it from:

- the page itself: its number and the number of pages, and its entries, field by field, with
  the file each was read from (the edit link names it);
- what it shows of assets, which are not compared as a whole: on a Personas page, each persona's
  first assets (id, title, whether withdrawn or overdue) and how many it has; on a Glossary page,
  each term's "Used in" list as shown (kind, id and name of the entries named, how many of each
  kind) and the whole glossary's reading time;
- the rest of the playbook, compared as the model holds it: settings, stages, lifecycle states,
  handoffs, terms, personas, metrics, the day freshness is judged on and the days entries last
  changed in git; and the page each entry of a paged kind is on (an asset's link to itself, a
  link to a persona);
- how the page is written: links with or without directory URLs, the headings' style, the
  folder of the generated pages, the edit address, the glossary setting and the templates.

Nothing else of an asset reaches these pages: this is what makes the comparison complete, and
`tests/test_kept_pages.py` checks it edit by edit against a fresh build. A plain build
remembers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from ..model.playbook import Playbook
from ..source.diskcache import contents_digest
from .links import edit_setting
from .pages.glossary import TERM_USES_SHOWN
from .pages.stages import PERSONA_ASSETS
from .urls import placement


@dataclass(frozen=True)
class Kept:
    """A page as the last build finished it."""

    key: tuple[Any, ...]
    html: str
    toc: Any  # the page's contents, texts in place
    anchors: frozenset[str] | None


class KeptPages:
    """The pages of a run of the last build of a `mkdocs serve`, by their path in the docs folder."""

    def __init__(self) -> None:
        self._context: tuple[Any, ...] | None = None
        self._pages: dict[str, Kept] = {}
        self._keys: dict[str, tuple[Any, ...]] = {}
        self.reused: set[str] = set()
        # The Markdown extensions and their settings (pagecache.markdown_settings): None when an
        # extension may read other files, and then no page made from Markdown is kept.
        self.markdown: str | None = None

    def begin(self, playbook: Playbook, entry_pages: dict[str, dict[str, str]], *how: Any) -> None:
        """A new build: what every page of it is made from besides its own assets. Nothing is
        taken again when that changed."""
        context = (replace(playbook, assets=()), entry_pages, placement(), edit_setting(), _templates(), self.markdown,
                   *how)
        if context != self._context:
            self._pages.clear()
            self._context = context
        self._keys = {}
        self.reused = set()

    def reusable(self, page: str, number: int, count: int, entries: list[Any], shown: tuple[Any, ...] = (),
                 markdown: bool = False) -> bool:
        """Whether the last build's page can be taken again: the same place, the same entries,
        showing the same of other entries (shown_of). A page made from Markdown is neither taken
        nor kept while an extension may read other files."""
        if markdown and self.markdown is None:
            self._pages.pop(page, None)
            return False
        key = (number, count, tuple(entries), tuple(str(e.origin.path) if e.origin else None for e in entries), shown)
        self._keys[page] = key
        kept = self._pages.get(page)
        if kept is not None and kept.key == key:
            self.reused.add(page)
            return True
        self._pages.pop(page, None)
        return False

    def kept(self, page: str) -> Kept | None:
        """The page taken again in this build, if it is one."""
        return self._pages.get(page) if page in self.reused else None

    def keep(self, page: str, html: str, toc: Any, anchors: set[str] | None) -> None:
        """A page this build wrote, as finished, for the next build."""
        key = self._keys.get(page)
        if key is not None:
            self._pages[page] = Kept(key, html, toc, None if anchors is None else frozenset(anchors))


def _templates() -> str:
    """The templates as they are now (one may be edited while the site is served)."""
    templates = resources.files("generator.site").joinpath("templates").iterdir()
    return contents_digest(sorted((t for t in templates if t.name.endswith(".j2")), key=lambda t: t.name))


def shown_of(kind: str, entries: list[Any], playbook: Playbook, used_in: dict[str, dict[str, list[Any]]],
             glossary_minutes: int | None) -> tuple[Any, ...]:
    """What a page of entries of a kind shows of assets (see above), as plain values."""
    if kind == "persona":
        lists = [playbook.assets_for_persona(p.id) for p in entries]
        return tuple((tuple((a.id, a.title, playbook.usable(a), playbook.freshness(a).overdue)
                            for a in assets[:PERSONA_ASSETS]), len(assets)) for assets in lists)
    if kind == "term":
        names = playbook.names
        return (glossary_minutes, tuple(
            tuple((used, tuple((e.id, names[used][e.id]) for e in uses[:TERM_USES_SHOWN]), len(uses))
                  for used, uses in used_in.get(term.id, {}).items()) for term in entries))
    return ()
