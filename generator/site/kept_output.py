"""The theme's HTML of pages that did not change, taken again under `mkdocs serve`.

Every save rebuilds the whole site, and the theme's template writes the same HTML around a page
when everything it is given is the same: Material writes the navigation and the contents of each
page, and at 10,000 entities that was a tenth of a rebuild for pages that had not changed (most
pages: an Assets, Personas or Glossary page taken again from the last build, kept_pages.py, has
the same content, contents and anchors; so has a stage page whose cards did not change, or a
hand-written page). The page's HTML of the last build is then taken instead of rendering the
template again, when all of this is the same:

- the context the template is given, as plain values: the configuration (with every plugin's
  settings), the navigation (titles, addresses, metadata, sections), the site's pages and every
  other entry; and of the page, its address, title, metadata, content, contents, edit and
  canonical addresses, the pages before and after it, and its sections;
- the templates read: each the same text, in the same file, which is still the first of its name
  in the theme's folders (a file added to a custom_dir comes first);

and only while no template read names `build_date_utc` (the time of each build), the theme's
templates are read from folders, and no plugin but this one and the search plugins (which add the
page to their index and take attributes out of its content, before the key is made) changes the
template's context or environment. With any other plugin on those events (a macros plugin, tags),
every page is rendered. A plain `mkdocs build` keeps nothing.

What this plugin does to a page's HTML afterwards (search_later, pagefind_page) depends on the HTML
alone, and is done once for the same HTML (`posted`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader
from mkdocs.plugins import BasePlugin

from .theme_search import toc_key

# The plugins, besides the playbook's, whose page_context and env hooks change neither the
# context nor the environment: they only read the page (and take attributes out of its content,
# which the key reads as the template gets it).
_READERS = frozenset({"mkdocs.contrib.search.SearchPlugin", "material.plugins.search.plugin.SearchPlugin"})
_READER_HOOKS = frozenset({"generator.site.theme_search._page_hook.<locals>.on_page_context"})
# Nested deeper than this, or of more parts than this, a value of the configuration is not
# compared: nothing is taken again.
_DEPTH = 40
_NODES = 200_000


class _Unknown(Exception):
    """A value the key cannot hold as a plain value."""


class _Recording(BaseLoader):
    """The theme's loader, noting each template it reads: its file and a digest of its text."""

    def __init__(self, inner: FileSystemLoader) -> None:
        self.inner = inner
        self.read: dict[str, tuple[str | None, str]] = {}
        self.dated = False  # a template read names build_date_utc

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        self.read[template] = (filename, _digest(source))
        self.dated = self.dated or "build_date_utc" in source
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def _digest(source: str) -> str:
    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class KeptOutput:
    """The last build's HTML of each page, with what it was made from."""

    def __init__(self) -> None:
        self._outputs: dict[str, tuple[tuple[Any, ...], str]] = {}
        self._posted: dict[str, tuple[str, str]] = {}
        self._loader: _Recording | None = None
        self._env: Environment | None = None
        self._site: tuple[Any, ...] | None = None
        self._checked: dict[frozenset[Any], bool] = {}
        self.reused = 0

    def begin(self, env: Environment, config: Any, plugin: Any, held: set[str] | None) -> None:
        """A new build, whose environment is env: its templates are noted as they are read. Only
        the pages of held (this build's, by their path in the docs folder) stay kept; None, for a
        build not served, which takes nothing and keeps nothing."""
        self._loader, self._env, self._site, self._checked, self.reused = None, None, None, {}, 0
        if held is None:
            return
        self._outputs = {uri: kept for uri, kept in self._outputs.items() if uri in held}
        self._posted = {uri: done for uri, done in self._posted.items() if uri in held}
        if not isinstance(env.loader, FileSystemLoader) or len(env.cache or ()) or not _only_readers(config, plugin):
            return
        self._loader, self._env = _Recording(env.loader), env
        env.loader = self._loader
        try:
            self._site = _plain(config)
        except (_Unknown, RecursionError):
            self._site = None

    def arm(self, uri: str, page: Any, nav: Any) -> None:
        """Let the coming render of page's template (in the environment begin was given) take the
        last build's HTML, if it may; uri is the page's path in the docs folder."""
        loader, site, env = self._loader, self._site, self._env
        if loader is None or site is None or env is None:
            return
        template = env.get_template(page.meta.get("template", "main.html"))
        render = template.render

        def once(*args: Any, **kwargs: Any) -> str:
            del template.render  # the template is itself again
            context = dict(*args, **kwargs)
            if context.get("page") is not page:
                return render(context)
            try:
                key = (site, nav_key(nav), _context_key(context))
            except (_Unknown, RecursionError):
                return render(context)
            kept = self._outputs.get(uri)
            if kept is not None and kept[0][1:] == key and self._unchanged(kept[0][0]):
                self.reused += 1
                return kept[1]
            output = render(context)
            if not loader.dated:
                self._outputs[uri] = ((frozenset(loader.read.items()), *key), output)
            return output

        template.render = once  # type: ignore[method-assign]

    def posted(self, uri: str, output: str, post: Callable[[str], str]) -> str:
        """post(output), done once for the same output of a page."""
        done = self._posted.get(uri)
        if done is not None and done[0] == output:
            return done[1]
        result = post(output)
        self._posted[uri] = (output, result)
        return result

    def _unchanged(self, read: frozenset[tuple[str, tuple[str | None, str]]]) -> bool:
        """Whether each template read is still the same text, in the file its name finds first."""
        found = self._checked.get(read)
        if found is None:
            found = self._loader is not None and all(self._now(name) == was for name, was in read)
            self._checked[read] = found
        return found

    def _now(self, name: str) -> tuple[str | None, str] | None:
        """A template's file and digest as the theme's loader finds it now."""
        assert self._loader is not None and self._env is not None
        try:
            source, filename, _ = self._loader.inner.get_source(self._env, name)
        except Exception:  # gone, unreadable: not the same
            return None
        return filename, _digest(source)


def _only_readers(config: Any, plugin: Any) -> bool:
    """Whether every page_context and env hook is the playbook plugin's or a search plugin's."""
    for event in ("page_context", "env"):
        for method in config.plugins.events.get(event, []):
            owner = getattr(method, "__self__", None)
            if owner is plugin:
                continue
            name = f"{type(owner).__module__}.{type(owner).__qualname__}"
            if owner is not None and name in _READERS:
                continue
            if owner is None and f"{getattr(method, '__module__', '')}.{getattr(method, '__qualname__', '')}" \
                    in _READER_HOOKS:
                continue
            return False
    return True


def nav_key(nav: Any) -> tuple[Any, ...]:
    """The navigation as the theme shows it: each item's kind, title, address, metadata and children."""
    return tuple(_item_key(item) for item in nav.items) + (("home", getattr(nav.homepage, "url", None)),)


def _item_key(item: Any) -> tuple[Any, ...]:
    file = getattr(item, "file", None)
    return (type(item).__name__, item.title, getattr(item, "url", None), getattr(file, "src_uri", None),
            _plain(getattr(item, "meta", None)), getattr(item, "is_index", None),
            tuple(_item_key(child) for child in item.children or ()))


def _context_key(context: Mapping[str, Any]) -> tuple[Any, ...]:
    """Everything of a page's context but the configuration and the navigation, as plain values."""
    parts: list[Any] = []
    for name, value in context.items():
        if name in ("config", "nav", "build_date_utc"):
            continue
        if name == "page":
            parts.append((name, _page_key(value)))
        elif name == "pages":
            parts.append((name, tuple((f.src_uri, f.url) for f in value)))
        else:
            parts.append((name, _plain(value)))
    return tuple(parts)


def _page_key(page: Any) -> tuple[Any, ...]:
    neighbours = tuple((p.url, p.title) if p is not None else None for p in (page.previous_page, page.next_page))
    sections = tuple((s.title, _plain(getattr(s, "meta", None))) for s in page.ancestors)
    return (page.file.src_uri, page.file.dest_uri, page.url, page.abs_url, page.canonical_url, page.edit_url,
            page.title, page.is_homepage, _plain(page.meta), page.content, toc_key(page.toc), neighbours, sections)


_ATOMS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """value as plain, comparable data: what the template can read of it. An object that is
    not plain data is held by its type and repr (the same object, for most). Bounded: a value
    nested deeper than _DEPTH, or of more than _NODES parts counted as read (aliases in YAML can
    name one part many times), is not compared, and nothing is taken again."""
    left = [_NODES]

    def plain(value: Any, depth: int) -> Any:
        left[0] -= 1
        if left[0] < 0 or depth > _DEPTH:
            raise _Unknown
        if isinstance(value, _ATOMS):
            return value
        if isinstance(value, Mapping):
            extra = (("dirs", tuple(value.dirs)),) if hasattr(value, "dirs") else ()
            return (type(value).__name__, extra, tuple((plain(k, depth + 1), plain(v, depth + 1))
                                                       for k, v in value.items()))
        if isinstance(value, (list, tuple)):
            return tuple(plain(v, depth + 1) for v in value)
        if isinstance(value, (set, frozenset)):
            return ("set", tuple(sorted(repr(plain(v, depth + 1)) for v in value)))
        if isinstance(value, BasePlugin):  # its settings
            return (f"{type(value).__module__}.{type(value).__qualname__}", plain(value.config, depth + 1))
        return (f"{type(value).__module__}.{type(value).__qualname__}", repr(value))

    return plain(value, 0)
