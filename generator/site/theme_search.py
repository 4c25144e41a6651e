"""Material's search plugin, as the playbook's site uses it: its index left empty when Pagefind
answers the search box, its sections of an unchanged page taken again under `mkdocs serve`, and
the attributes it takes out of every page taken out faster.

Each reaches into the plugin only where it has the shape known here (its index's class and
fields, its page hook's names and constants); any other search plugin, or another version of this
one, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..source.filecache import ContentCache


def adjust(config: Any, pagefind: bool, serving: bool) -> None:
    """Material's search plugin as the site uses it (once the theme's environment is made, each
    build): with Pagefind, its index left empty; under `mkdocs serve` without Pagefind, the
    sections of an unchanged page taken again; and its page hook made faster."""
    faster_page_hook(config)
    if pagefind:
        leave_theme_index_empty(config)
    elif serving:
        remember_search(config)


# What Material's search made of each page: its sections, by everything it reads of the page.
SECTIONS = ContentCache(budget=128 * 1024 * 1024)


def _theme_indexes(config: Any) -> list[Any]:
    """The search index of each search plugin of Material in the site (of the shape known here)."""
    found = []
    for plugin in config.plugins.values():
        index: Any = getattr(plugin, "search_index", None)
        if type(index).__module__ == "material.plugins.search.plugin" and isinstance(
                getattr(index, "entries", None), list) and callable(getattr(index, "add_entry_from_context", None)):
            found.append(index)
    return found


def leave_theme_index_empty(config: Any) -> None:
    """With Pagefind answering the search box, the theme's own index is never fetched: its search
    plugin still writes search_index.json (the box is the plugin's), but reads no page for it. It
    took a quarter of a build at 10,000 entities, for 16 MB nobody downloads."""
    for index in _theme_indexes(config):
        index.add_entry_from_context = lambda page: None


def remember_search(config: Any) -> None:
    """Make the search plugin of Material take the sections it found on an identical page in an
    earlier build instead of reading the page's HTML again (a fifth of a rebuild). The page is
    the same when its address, HTML, title, metadata and table of contents are, and the index's
    settings too. Any other search plugin, or another shape of this one, is left as it is."""
    for index in _theme_indexes(config):
        index.add_entry_from_context = _indexing(index, index.add_entry_from_context)


def _indexing(index: Any, add: Callable[[Any], None]) -> Callable[[Any], None]:
    settings = repr(getattr(index, "config", None))

    def add_entry_from_context(page: Any) -> None:
        key = (settings, page.url, page.content, page.title, repr(page.meta), toc_key(page.toc))
        kept = SECTIONS.get(key)
        if kept is not None:
            index.entries.extend(dict(entry) for entry in kept)
            return
        before = len(index.entries)
        add(page)
        found = tuple(dict(entry) for entry in index.entries[before:])
        SECTIONS.put(key, found, 2 * sum(len(str(entry)) for entry in found) + 500)

    return add_entry_from_context


def toc_key(items: Any) -> tuple[Any, ...]:
    """A page's table of contents as plain values: each entry's anchor, address, title, level
    and children."""
    return tuple((item.id, item.url, item.title, item.level, toc_key(item.children)) for item in items)


# Theme attributes ---------------------------------------------------------------------------------

# What Material's search plugin takes out of every page's HTML: `data-search-*` attributes with a
# value, each with one space before it. Its pattern begins with an optional space, so it is tried
# at every character of every page (0.44 s of a build at 10,000 entities); the same attributes are
# found here by their name first, and the space before each checked after.
THEME_PATTERN = r"\s?data-search-\w+=\"[^\"]+\""
_ATTRIBUTE = re.compile(r'data-search-\w+="[^"]+"')
_SPACE = re.compile(r"\s")
# The names and constants of the plugin's page hook as known here: it checks `enabled`, adds the
# page to the index, and takes THEME_PATTERN out of page.content.
_KNOWN_HOOK = (("config", "enabled", "search_index", "add_entry_from_context", "re", "sub", "content"),
               (None, THEME_PATTERN, ""))


def without_search_attributes(html: str) -> str:
    """re.sub(THEME_PATTERN, "", html), without trying the pattern at every character."""
    if "data-search-" not in html:
        return html
    out: list[str] = []
    last = 0
    for match in _ATTRIBUTE.finditer(html):
        start = match.start()
        if start > last and _SPACE.match(html, start - 1) is not None:
            start -= 1
        out.append(html[last:start])
        last = match.end()
    out.append(html[last:])
    return "".join(out)


def faster_page_hook(config: Any) -> None:
    """Run Material's search page hook, where it is the one known here, as the same steps with
    the attributes taken out by without_search_attributes."""
    events: list[Any] = config.plugins.events.get("page_context", [])
    for place, method in enumerate(events):
        plugin = getattr(method, "__self__", None)
        code = getattr(getattr(method, "__func__", None), "__code__", None)
        if (type(plugin).__module__ == "material.plugins.search.plugin" and code is not None
                and (code.co_names, code.co_consts) == _KNOWN_HOOK):
            events[place] = _page_hook(plugin)


def _page_hook(plugin: Any) -> Callable[..., None]:
    def on_page_context(context: Any, *, page: Any, config: Any, nav: Any) -> None:
        if not plugin.config.enabled:
            return
        plugin.search_index.add_entry_from_context(page)
        page.content = without_search_attributes(page.content)

    return on_page_context
