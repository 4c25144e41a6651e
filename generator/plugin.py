"""The MkDocs plugin `playbook`: a thin door between MkDocs and the generator.

Each hook calls plain functions; loading, checking and rendering know nothing of MkDocs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import PlaybookError
from .model import Playbook
from .navigation import navigation
from .render import expand_markers, render_home, render_pages
from .schemas import schemas_dir
from .validate import build_playbook


class PlaybookConfig(base.Config):
    playbook = c.Type(str, default="playbook")
    """The folder holding playbook.yaml and the entity folders, relative to mkdocs.yml."""

    nav = c.Type(bool, default=True)
    """Build the navigation (stages in order, then the reference pages, then hand-written
    pages) when mkdocs.yml sets no `nav` of its own."""


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Validates the playbook and adds its pages to the site, generated in memory."""

    def __init__(self) -> None:
        self.playbook: Playbook | None = None
        self.root = Path("playbook")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path or ".").parent / self.config.playbook
        try:
            self.playbook = build_playbook(self.root, Path(config.docs_dir))
        except PlaybookError as err:
            raise PluginError("The playbook has problems:\n" + err.report()) from None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.playbook is not None
        pages = render_pages(self.playbook)
        if files.get_file_from_path("index.md") is None:
            pages["index.md"] = render_home(self.playbook)
        clashes = [uri for uri in pages if files.get_file_from_path(uri) is not None]
        if clashes:
            raise PluginError("These pages are generated from the playbook; remove them from "
                              f"{config.docs_dir}: " + ", ".join(sorted(clashes)))
        for uri, markdown in pages.items():
            files.append(File.generated(config, uri, content=markdown))
        if self.config.nav and not config.nav:
            config.nav = navigation(self.playbook, files)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        assert self.playbook is not None
        if page.file.generated_by is not None:
            return markdown
        return expand_markers(markdown, self.playbook, page.file.src_uri)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # Rebuild when a playbook file or a schema changes, as for a page in docs/.
        server.watch(str(self.root.resolve()))
        server.watch(str(schemas_dir().resolve()))
        return server
