"""The links templates write: to an entry, a generated page, a file the site publishes, or an
asset's own link; in Markdown (`ref`, `page_link`, `file_link`, the `link` filter) or as a URL
for raw HTML (`href`). Each target is checked before it is written.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from jinja2.runtime import Context

from ..model.playbook import Playbook
from .pages.paging import PARTS
from .safe_text import SAFE_LINK, Md, anchor, plain, safe_link
from .urls import GENERATED, PAGES, STATIC, VALUE_PREFIX, VALUES_PAGE, relative_path, relative_url


@pass_context
def link_filter(context: Context, url: str) -> Md:
    """The `link` filter: an https or docs-relative link, made relative to the current page."""
    return safe_link(url, context["page"])


def entry_url(kind: str, id: str, pages: dict[str, dict[str, str]]) -> str:
    """The docs path of an entry, with its anchor; `pages` says which page of a run each is on."""
    if kind == "value":
        return f"{VALUES_PAGE}#{VALUE_PREFIX}{anchor(id)}"
    if kind == "stage":
        return f"stages/{anchor(id)}.md"
    if kind == "forecast":
        return f"{PAGES['lifecycle']}#forecast-{anchor(id)}"
    if kind in PARTS:
        return f"{pages[kind][id]}#{anchor(id)}"
    return f"{PAGES[kind]}#{anchor(id)}"


def href_function(playbook: Playbook, pages: dict[str, dict[str, str]], directory_urls: bool) -> Callable[..., Md]:
    links = {a.id: a.link for a in playbook.assets}
    parts = {page for by_id in pages.values() for page in by_id.values()}  # assets-2.md, ...

    @pass_context
    def href(context: Context, kind: str, id: str | None = None) -> Md:
        """An HTML-ready URL from the current page: to an entity (kind, id), to a generated
        page (kind 'page', id its docs path), to a static file ('static', name), or an
        asset's own link ('open', asset id)."""
        page = context["page"]
        if kind == "page":
            assert id is not None and (id in GENERATED or id in parts or id.startswith("stages/") or id == "index.md")
            target = id
        elif kind == "static":
            target = f"{STATIC}/{id}"
        elif kind == "open":
            link = links[str(id)]
            if not SAFE_LINK.fullmatch(link):
                raise ValueError(f"not a safe link: {link!r}")
            if link.startswith("https://"):
                return Md(html.escape(link, quote=True))
            target = link
        else:
            assert id is not None
            target = entry_url(kind, id, pages)
        return Md(html.escape(relative_url(page, target, directory_urls), quote=True))

    return href


def ref_function(playbook: Playbook, pages: dict[str, dict[str, str]]) -> Callable[..., Md]:
    @pass_context
    def ref(context: Context, kind: str, id: str, text: str | None = None) -> Md:
        """A Markdown link from the current page to an entity, named by its name."""
        target = relative_path(context["page"], entry_url(kind, id, pages))
        return Md(f"[{plain(text if text is not None else playbook.names[kind][id])}]({target})")

    return ref


@pass_context
def file_link(context: Context, target: str, text: str) -> Md:
    """A Markdown link from the current page to a file the site publishes (docs-relative)."""
    if not target.startswith(("downloads/", f"{STATIC}/")) or not SAFE_LINK.fullmatch(target):
        raise ValueError(f"not a published file: {target!r}")
    return Md(f"[{plain(text)}]({relative_path(context['page'], target)})")


@pass_context
def reason_list_link(context: Context, list_id: str, text: str) -> Md:
    """A Markdown link from the current page to an agreed reason list on the Agreed values page."""
    return Md(f"[{plain(text)}]({relative_path(context['page'], VALUES_PAGE)}#{VALUE_PREFIX}{anchor(list_id)})")


@pass_context
def page_link(context: Context, target: str, text: str) -> Md:
    """A Markdown link from the current page to a generated page (target is docs-relative)."""
    if target not in GENERATED and target != "index.md" and not target.startswith(
            ("stages/", *(first[:-3] + "-" for first, _ in PARTS.values()))):
        raise ValueError(f"not a generated page: {target!r}")
    return Md(f"[{plain(text)}]({relative_path(context['page'], target)})")


# Where "Suggest a change" links lead: the git host's edit page of each entry's YAML file. Set for
# a build by `editing` (the plugin does, from mkdocs.yml's repo_url and edit_uri); unset, no link.
# With each folder resolved in the build, and the names of the links in it (_resolved).
_EDIT: ContextVar[tuple[str, Path, dict[Path, tuple[Path, frozenset[str] | None]]] | None] = \
    ContextVar("edit links", default=None)


@contextmanager
def editing(base: str, repository: Path) -> Iterator[None]:
    """Link each entry to base + its file's path in the repository (e.g.
    https://github.com/acme/playbook/edit/main/ + playbook/terms/mql.yaml)."""
    reset = _EDIT.set((base, repository.resolve(), {}))
    try:
        yield
    finally:
        _EDIT.reset(reset)


def editing_for(config: Any) -> Any:
    """Entries link to the edit page of their YAML file when mkdocs.yml sets repo_url and an
    edit_uri that ends with the docs folder (edit/main/docs/): the same address, with the
    repository's path of the file instead. Otherwise no entry has the link."""
    repository = Path(os.path.abspath(config.config_file_path or "mkdocs.yml")).parent
    docs = Path(os.path.abspath(config.docs_dir))
    edit_uri = (config.edit_uri or "").strip("/")
    if not config.repo_url or not edit_uri or re.match(r"^[a-z][a-z0-9+.-]*:", edit_uri, re.I) \
            or not config.repo_url.startswith("https://") or not docs.is_relative_to(repository):
        return contextlib.nullcontext()
    folder = docs.relative_to(repository).as_posix()
    if not edit_uri.endswith(folder):
        return contextlib.nullcontext()
    return editing(f"{config.repo_url.rstrip('/')}/{edit_uri[:-len(folder)]}", repository)


def edit_setting() -> tuple[str, Path] | None:
    """Where edit links lead in this build (the base address and the repository), if anywhere."""
    where = _EDIT.get()
    return None if where is None else (where[0], where[1])


def edit_link(entry: Any) -> Md:
    """A paragraph with the link to edit an entry's file, or nothing without an edit address or
    a file inside the repository."""
    where = _EDIT.get()
    origin = getattr(entry, "origin", None)
    if where is None or origin is None:
        return Md("")
    base, repository, folders = where
    try:
        path = _resolved(Path(origin.path), folders).relative_to(repository).as_posix()
    except ValueError:
        return Md("")
    url = html.escape(base + quote(path), quote=True)
    return Md(f'<p class="pb-edit" data-search-exclude><a href="{url}" rel="nofollow">Suggest a change</a> '
              f"to this entry (its file is {html.escape(path)})</p>")


def _resolved(file: Path, folders: dict[Path, tuple[Path, frozenset[str] | None]]) -> Path:
    """file.resolve(), with its folder resolved and listed once for all the files in it: resolving
    each file's whole path took a system call per folder of it, for every entry on every build,
    and asking each file whether it is a link took one more. A file that is a link, or in a
    folder that cannot be listed, is resolved whole."""
    known = folders.get(file.parent)
    if known is None:
        links: frozenset[str] | None
        try:
            with os.scandir(file.parent) as listing:
                links = frozenset(entry.name for entry in listing if entry.is_symlink())
        except OSError:
            links = None
        known = folders[file.parent] = (file.parent.resolve(), links)
    folder, links = known
    if links is None or file.name in links:
        return file.resolve()
    return folder / file.name
