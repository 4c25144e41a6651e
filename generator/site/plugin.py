"""The MkDocs plugin `playbook`: a thin door between MkDocs and the generator.

Each hook calls plain functions; loading, checking and rendering know nothing of MkDocs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from ..changes.history import History, read_history
from ..model.build import build
from ..model.playbook import Playbook
from ..rules.freshness import TodayError, resolve_today
from ..source.loader import LoadedPlaybook
from ..source.problems import PlaybookError
from ..source.repository import OutputError, Staging, discard, stage, swap_in
from ..source.schemas import schemas_dir
from . import pagecache, theme_search
from .collector import Collector
from .folder_guards import refuse_folders_out, refuse_outside_links
from .html_pages import HtmlPage, heading_style, restore_toc
from .kept_output import KeptOutput
from .kept_pages import KeptPages
from .links import editing_for
from .navigation import navigation, page_titles
from .render import compiled_once, expand_markers, render_home, render_pages
from .safe_text import Texts, unnest_value_links
from .serving import Refresh, keep_index, keep_serving_after_failures, stop_watching, watch_playbook
from .static import (
    PagefindFailed,
    export_files,
    pagefind_index,
    pagefind_missing,
    pagefind_page,
    scripts,
    search_later,
    static_files,
)
from .urls import GENERATED, STATIC, placed

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class PlaybookConfig(base.Config):
    playbook = c.Type(str, default="playbook")
    """The folder holding playbook.yaml and the entity folders, relative to mkdocs.yml."""

    nav = c.Type(bool, default=True)
    """Build the navigation (Home; "On a call": the stages in order, the finder, assets and
    personas; "New here"; "For authors", which ends with the other hand-written pages) when
    mkdocs.yml sets no `nav` of its own."""

    today = c.Optional(c.Type((str, date)))
    """The day review and end dates are judged on, e.g. 2026-11-23 (default: $PLAYBOOK_TODAY,
    else the real date)."""

    terms_everywhere = c.Type(bool, default=True)
    """Explain the glossary's terms on every page (glossary.js), and list on each glossary entry
    where the term is used."""

    fail_on_stale = c.Type(bool, default=False)
    """Fail the build when a review date or an end date has passed or is near, instead of
    listing it (the "Needs review" page lists it either way)."""

    prefix = c.Type(str, default="")
    """A folder of the site for every generated page and file, e.g. `sales/playbook`, so that
    the playbook sits inside a site with pages of its own (its home is then `<prefix>/`)."""

    site_name = c.Type(bool, default=False)
    """Give the site the playbook's name (playbook.yaml's site_name); by default the site keeps
    the name mkdocs.yml gives it."""

    search = c.Choice(("material", "pagefind"), default="material")
    """What answers the theme's search box. `material`: Material's own search, whose index (one
    file) is fetched on the first search. `pagefind`: Pagefind indexes the built site into small
    files, of which a search fetches only those its words need (needs `pip install 'pagefind[bin]'`)."""


class _WarningCount(logging.Handler):
    """Counts MkDocs' warnings, which fail a strict build only after every post_build hook has run."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Validates the playbook and adds its pages to the site, generated in memory."""

    def __init__(self) -> None:
        self.playbook: Playbook | None = None
        self.root = Path("playbook")
        self.staging: Staging | None = None
        self.site_config: MkDocsConfig | None = None
        self.site_dir = "site"
        self.warnings: _WarningCount | None = None
        self.texts = Texts()
        self.titles: dict[str, str] = {}
        self.loaded: LoadedPlaybook | None = None
        self.history: History | None = None
        # Under `mkdocs serve`, generated pages are converted again only when they changed
        # (pagecache.py); this plugin is then kept from one rebuild to the next.
        self.serving = False
        self.signature: tuple[Any, ...] | None = None
        self.prefix = ""
        # Generated pages written as HTML, by their path in the docs folder (html_pages.py), and
        # under `mkdocs serve`, those of the last build, taken again if nothing in them changed.
        self.html_pages: dict[str, HtmlPage] = {}
        self.kept = KeptPages()
        self.outputs = KeptOutput()  # and the theme's HTML of every page (kept_output.py)
        # Under `mkdocs serve`, Pagefind indexing the last build in the background (serving.py).
        self.refresh: Refresh | None = None
        self.watcher: Any = None  # the playbook folder's, under `mkdocs serve` (serving.py)
        self.collector: Collector | None = None  # under `mkdocs serve` (collector.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    # First, so every plugin after it writes into the staging folder.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._stop_refresh()  # a new build: the last one's index is no longer wanted
        self.root = Path(config.config_file_path or ".").parent / self.config.playbook
        refuse_folders_out(config, self.root)
        if self.pagefind and (missing := pagefind_missing()) is not None:
            raise PluginError(f"playbook: search: pagefind needs Pagefind, and {missing}: "
                              "pip install 'pagefind[bin]>=1.5,<2' (or set search: material)")
        self.texts, self.signature = Texts(), None  # each build has its own texts
        try:
            today = resolve_today(str(self.config.today) if self.config.today else None)
            self.playbook, notices, self.loaded = build(self.root, Path(config.docs_dir), today,
                                                        self.config.fail_on_stale)
        except TodayError as err:
            raise PluginError(str(err)) from None
        except PlaybookError as err:
            raise PluginError("The playbook has problems:\n" + err.report()) from None
        # What changed lately, from git: read once per build (a serve rebuild reads it again).
        self.history = read_history(self.root)
        self.playbook = replace(self.playbook, changed=self.history.changed_on if self.history is not None else {})
        for notice in notices:
            log.info("%s", notice)
        self.prefix = _prefix(self.config.prefix)
        # The cards, filters and asset finder: served with the site, from no other host.
        for name, extra in (("playbook.css", config.extra_css),
                            *((s, config.extra_javascript) for s in scripts(self.config.terms_everywhere,
                                                                            self.pagefind))):
            if self._placed(f"{STATIC}/{name}") not in extra:
                extra.append(self._placed(f"{STATIC}/{name}"))
        self.titles = page_titles(self.playbook)
        if self.config.site_name:
            # The playbook's name; the theme prints it as HTML, so it is escaped.
            config.site_name = self.titles["index.md"]
        self._stage_site(config)
        return config

    def _stage_site(self, config: MkDocsConfig) -> None:
        """Point site_dir at a fresh folder beside it. MkDocs empties site_dir before it writes the
        first page, so a build failing after that would otherwise leave no site at all."""
        try:
            self.staging = stage(Path(config.site_dir), "building")
        except OutputError as err:
            raise PluginError(str(err)) from None
        self.site_config, self.site_dir = config, config.site_dir
        config.site_dir = str(self.staging.building)
        if config.strict:
            self.warnings = _WarningCount()
            logging.getLogger("mkdocs").addHandler(self.warnings)

    # Last, so every other plugin (search writes its index here) has written its files.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.outputs.reused:
            log.info("%d pages as the theme last wrote them", self.outputs.reused)
        if self.staging is None or (self.warnings is not None and self.warnings.count):
            return  # a strict build with warnings fails right after this hook; on_build_error cleans up
        # Under `mkdocs serve`, the served index comes along and Pagefind indexes the new site once
        # it is served; a build, and the first build served, wait for a whole index.
        later = self.pagefind and self.serving and keep_index(Path(self.site_dir), self.staging.building)
        if self.pagefind and not later:
            try:
                log.info("Pagefind indexed %d pages", pagefind_index(self.staging.building))
            except PagefindFailed as err:
                raise PluginError(str(err)) from None
        staging = self._unstage()
        try:
            swap_in(staging, keep_hidden=True)
        except OutputError as err:
            raise PluginError(str(err)) from None
        if later:
            self.refresh = Refresh(Path(self.site_dir))

    def _cancel_refresh(self) -> None:
        """A playbook file changed (the watcher's thread): Pagefind stops indexing the old site."""
        refresh = self.refresh
        if refresh is not None:
            refresh.cancel()

    def _stop_refresh(self) -> None:
        if self.refresh is not None:
            self.refresh.stop()
            self.refresh = None

    def on_shutdown(self) -> None:
        self._stop_refresh()
        stop_watching(self.watcher)
        if self.collector is not None:
            self.collector.stop()

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging is not None:
            discard(self._unstage())

    def _unstage(self) -> Staging:
        """Point site_dir back where the user set it (for gh-deploy and serve) and stop counting warnings."""
        assert self.staging is not None and self.site_config is not None
        staging, self.staging = self.staging, None
        self.site_config.site_dir = self.site_dir
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None
        return staging

    def _placed(self, uri: str) -> str:
        """Where a generated page or file goes: under the prefix, if the site gives one."""
        return f"{self.prefix}/{uri}" if self.prefix else uri

    def _unplaced(self, uri: str) -> str:
        """A page's path as the playbook's pages name it: without the prefix."""
        return uri.removeprefix(f"{self.prefix}/") if self.prefix else uri

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.playbook is not None
        refuse_outside_links(files, config)
        style = heading_style(config.markdown_extensions, config.mdx_configs)
        written: dict[str, HtmlPage] = {}
        self.kept.markdown = pagecache.markdown_settings(config)
        with placed(self.prefix), editing_for(config):
            pages = render_pages(self.playbook, self.texts, config.use_directory_urls, self.config.terms_everywhere,
                                 self.history, (style, written) if style is not None else None,
                                 self.kept if self.serving else None)
            # The playbook's home; under a prefix it is the folder's, and the site keeps its own.
            if self.prefix or files.get_file_from_path("index.md") is None:
                pages["index.md"] = render_home(self.playbook, self.texts, config.use_directory_urls)
        self.html_pages = {self._placed(uri): page for uri, page in written.items()}
        reused = self.kept.reused if self.serving else set()
        if written:
            log.info("%d generated pages written as HTML, without Markdown", len(written))
        if reused:
            log.info("%d generated pages taken as the last build finished them", len(reused))
        assert self.loaded is not None
        static = static_files(self.playbook, config.use_directory_urls, self.config.terms_everywhere,
                              self.pagefind) | \
            export_files(self.loaded)
        clashes = [self._placed(uri) for uri in [*pages, *static]
                   if files.get_file_from_path(self._placed(uri)) is not None]
        if clashes:
            raise PluginError("These files are generated from the playbook; remove them from "
                              f"{config.docs_dir}: " + ", ".join(sorted(clashes)))
        in_nav = set(GENERATED) | {"index.md"} | {uri for uri in pages if uri.startswith("stages/")}
        for uri, markdown in pages.items():
            # The asset reference's later pages are reached from its first, not from the navigation.
            files.append(File.generated(config, self._placed(uri), content=markdown,
                                        inclusion=InclusionLevel.INCLUDED if uri in in_nav
                                        else InclusionLevel.NOT_IN_NAV))
        for uri, content in static.items():
            files.append(File.generated(config, self._placed(uri), content=content))
        # A plugin that makes the navigation from the files (awesome-nav, literate-nav) is left to it.
        if self.config.nav and not config.nav and not _NAV_PLUGINS.intersection(config.plugins):
            # A page the site keeps out of the navigation (not_in_nav, draft_docs, exclude_docs) stays out.
            if self.prefix:
                # The site's own pages as MkDocs lists them, then the playbook as one section.
                generated = {self._placed(uri) for uri in pages}
                own = _prefixed(navigation(self.playbook, [], set(pages)), self.prefix)
                config.nav = [f.src_uri for f in files if f.inclusion.is_in_nav() and f.is_documentation_page()
                              and f.src_uri not in generated] + [{self.titles["index.md"]: own}]
            else:
                config.nav = navigation(self.playbook, [f for f in files if f.inclusion.is_in_nav()], set(pages))
        return files

    def on_pre_page(self, page: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.serving and page.file.generated_by is not None and pagecache.usable(config):
            if self.signature is None:
                self.signature = pagecache.site_signature(config, files)
            pagecache.remember(page, self.texts, self.signature)
        return page

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        compiled_once(env)
        theme_search.adjust(config, pagefind=self.pagefind, serving=self.serving)
        self.outputs.begin(env, config, self, {f.src_uri for f in files.documentation_pages()}
                           if self.serving else None)
        return env

    def on_page_context(self, context: Any, /, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        if self.serving:
            self.outputs.arm(page.file.src_uri, page, nav)
        return context

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        assert self.playbook is not None
        if page.file.generated_by is not None:
            # The theme prints meta.title in <title> as it is; the heading's text would reach it
            # through `striptags`, which decodes `&lt;/title&gt;` into markup.
            page.edit_url = None  # no file of the docs folder: each entry links to its own YAML file
            page.meta["title"] = self.titles.get(self._unplaced(page.file.src_uri), page.meta.get("title"))
            return markdown
        with placed(self.prefix, from_host=True):
            return expand_markers(markdown, self.playbook, page.file.src_uri, self.texts, config.use_directory_urls)

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        uri = self._unplaced(page.file.src_uri)
        generated = page.file.generated_by is not None
        if generated and self.serving and (kept := self.kept.kept(uri)) is not None:  # as the last build left it
            page.toc, page.present_anchor_ids = kept.toc, None if kept.anchors is None else set(kept.anchors)
            return kept.html
        written = self.html_pages.get(page.file.src_uri) if generated else None
        if written is not None:  # written as HTML: its contents and anchors as Markdown would give them
            html, page.toc = written.html, get_toc(written.toc_tokens())  # type: ignore[arg-type]
            page.present_anchor_ids = written.anchor_ids()
        # The playbook's texts enter the page only now, HTML-escaped, after every Markdown
        # extension has run: none of them ever saw the text.
        restore_toc(page.toc, self.texts)
        # A link to an agreed value inside another link (a card, a chip) is its text alone.
        html = unnest_value_links(self.texts.restore(html))
        if generated and self.serving:  # for the next build, if it is a page of a run
            self.kept.keep(uri, html, page.toc, page.present_anchor_ids)
        return html

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        if self.serving:
            return self.outputs.posted(page.file.src_uri, output, self._post_page)
        return self._post_page(output)

    def _post_page(self, output: str) -> str:
        # The search index is fetched on the first search, not with every page (search-later.js),
        # by a script that runs before the theme's own; with Pagefind, never (pagefind-search.js
        # answers the box), and the page is marked for Pagefind as it is for the theme's search.
        if self.pagefind:
            return search_later(pagefind_page(output), pagefind=True)
        return search_later(output)

    @property
    def pagefind(self) -> bool:
        return bool(self.config.search == "pagefind")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # Rebuild when a playbook file or a schema changes, as for a page in docs/.
        self.watcher = watch_playbook(server, self.root.resolve(), self._cancel_refresh)
        server.watch(str(schemas_dir().resolve()))
        self.collector = Collector()
        keep_serving_after_failures(server, self.collector)
        return server


# Plugins that make the navigation themselves, from the files and their own settings.
_NAV_PLUGINS = frozenset({"awesome-nav", "literate-nav", "awesome-pages"})


def _prefix(value: str) -> str:
    """The prefix option checked: folders of letters, digits, '-' and '_', separated by '/'."""
    folders = value.strip("/").split("/") if value.strip("/") else []
    if any(not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", f) for f in folders) or len(folders) > 8:
        raise PluginError(f"playbook: prefix {value!r} is not a folder of the site: use names of letters, digits, "
                          "'-' and '_' separated by '/', such as sales/playbook")
    return "/".join(folders)


def _prefixed(nav: Any, prefix: str) -> Any:
    """A navigation whose pages are moved under prefix."""
    if isinstance(nav, str):
        return f"{prefix}/{nav}"
    if isinstance(nav, list):
        return [_prefixed(item, prefix) for item in nav]
    return {title: _prefixed(item, prefix) for title, item in nav.items()}
