"""Where the generated pages live, and the URLs from one page to another.

Pages are named by their docs path (`glossary.md`, `stages/discovery.md`); MkDocs turns each into
a URL by its `use_directory_urls` setting. Links in Markdown name the docs path, relative to the
page (`relative_path`), and MkDocs rewrites them; links in raw HTML blocks, which MkDocs leaves as
written, name the URL itself (`relative_url`).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Where each kind of entity lives; the anchor on that page is the entity's id.
PAGES = {"lifecycle": "lifecycle.md", "handoff": "lifecycle.md", "term": "glossary.md",
         "persona": "personas.md", "asset": "assets.md", "metric": "metrics.md"}
# The pages every playbook has (navigation.py puts each in its section of the navigation).
GENERATED = ("start-here.md", "finder.md", "assets.md", "personas.md", "lifecycle.md", "glossary.md", "metrics.md",
             "values.md", "coverage.md", "review.md", "changes.md", "rules.md", "about.md")
PAGE_TITLES = {"start-here.md": "Start here", "finder.md": "Find an asset", "lifecycle.md": "Lifecycle and handoffs",
               "glossary.md": "Glossary", "personas.md": "Personas", "assets.md": "Assets",
               "metrics.md": "Shared goals", "values.md": "Agreed values", "coverage.md": "Coverage",
               "review.md": "Needs review", "changes.md": "Recent changes", "rules.md": "Rules of the checks",
               "about.md": "Who is who"}
# Where the agreed values are listed; each value's anchor there is VALUE_PREFIX + its id, and so is
# each agreed reason's and reason list's (their ids and the values' are one set of names).
VALUES_PAGE = "values.md"
VALUE_PREFIX = "value-"
# Where the site's own script, styles and asset data live, relative to the site's root.
STATIC = "assets/playbook"
FINDER_DATA = f"{STATIC}/finder.json"
# The same data as a script, for pages opened from file://, where fetch() is refused.
FINDER_SCRIPT = f"{STATIC}/finder-data.js"


def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL of a docs page, relative to the site's root, as MkDocs makes it."""
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return f"{stem}/" if directory_urls else f"{stem}.html"


# A host site may put the generated pages under a folder (the plugin's `prefix`). The pages are
# rendered as if at the root, then moved there together, so links between them hold. Only links
# that cross between the folder and the rest of the site are told: from a page written by hand
# to a generated one (`from_host`), and from a generated page to a file of the docs folder.
_PREFIX: ContextVar[tuple[str, bool]] = ContextVar("generated pages' folder", default=("", False))


@contextmanager
def placed(prefix: str, from_host: bool = False) -> Iterator[None]:
    """Render links for generated pages kept under `prefix` ('' for the root); with from_host,
    for a hand-written page, whose path is its own."""
    reset = _PREFIX.set((prefix.strip("/"), from_host))
    try:
        yield
    finally:
        _PREFIX.reset(reset)


def placement() -> tuple[str, bool]:
    """The folder generated pages are rendered for, and whether for a page written by hand."""
    return _PREFIX.get()


def _placed_target(target: str) -> str:
    """A generated page's docs path as the page being rendered names it: under the prefix when
    that page is one written by hand."""
    prefix, from_host = _PREFIX.get()
    return f"{prefix}/{target}" if prefix and from_host and not target.startswith("#") else target


def relative_url(page: str, target: str, directory_urls: bool = True) -> str:
    """The URL of target (a docs path, with an optional #fragment) as seen from page, for HTML
    that MkDocs does not rewrite (raw HTML blocks)."""
    return _relative_url(page, _placed_target(target), directory_urls)


def relative_path(page: str, target: str) -> str:
    """The docs path of target (with an optional #fragment) as seen from page, for a Markdown
    link, which MkDocs turns into a URL."""
    return _relative_path(page, _placed_target(target))


def relative_file(page: str, target: str) -> str:
    """The docs path of a file of the docs folder (not a generated page) as seen from page."""
    prefix, from_host = _PREFIX.get()
    return _relative_path(f"{prefix}/{page}" if prefix and not from_host else page, target)


@functools.lru_cache(maxsize=65_536)
def _relative_url(page: str, target: str, directory_urls: bool = True) -> str:
    path, _, fragment = target.partition("#")
    base = page_url(page, directory_urls)
    url = page_url(path, directory_urls) if path else base
    folder = base.rsplit("/", 1)[0] if "/" in base else ""
    rel = posixpath.relpath(url or ".", folder or ".")
    if url.endswith("/") or not url:
        rel = rel.rstrip("/") + "/"
    if rel.startswith("./") and len(rel) > 2:
        rel = rel[2:]
    return rel + (f"#{fragment}" if fragment else "")


@functools.lru_cache(maxsize=65_536)
def _relative_path(page: str, target: str) -> str:
    path, _, fragment = target.partition("#")
    rel = "" if path == page else posixpath.relpath(path, posixpath.dirname(page) or ".")
    return rel + (f"#{fragment}" if fragment else "")
