"""Checks a build makes before it reads a folder: no published file of docs/, and neither docs/
nor the playbook folder, is reached through a link out of the repository."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel

from ..source.repository import PLAYBOOK_READ, SITE_READ, link_out_of_repository, outside_links


def refuse_outside_links(files: Files, config: MkDocsConfig) -> None:
    """Fail the build if a published file of docs/ is read through a link that leaves docs/.

    MkDocs follows links in docs/, so `docs/env.txt -> /proc/self/environ` would be published.
    """
    docs = os.path.abspath(config.docs_dir)
    sources = [f.abs_src_path for f in files
               if f.abs_src_path is not None and f.abs_src_path.startswith(docs + os.sep)
               and f.inclusion is not InclusionLevel.EXCLUDED]
    problems = outside_links(Path(docs), sources)
    if problems:
        raise PluginError("Files in the docs folder are links to places outside it:\n" + "\n".join(problems))


def refuse_folders_out(config: MkDocsConfig, playbook: Path) -> None:
    """Fail the build, before either folder is listed, if docs_dir or the playbook folder is a
    link out of the repository (the folder holding mkdocs.yml), or lies under one.

    Links under docs/ are judged against docs/' real place, so with `docs -> /home/runner` nothing
    in it would count as outside. Runs on every build, and so on every `mkdocs serve` rebuild.
    """
    repository = Path(os.path.abspath(config.config_file_path or "mkdocs.yml")).parent
    problems = [link.line(why) for folder, why in ((Path(config.docs_dir), SITE_READ), (playbook, PLAYBOOK_READ))
                if (link := link_out_of_repository(folder, repository)) is not None]
    if problems:
        raise PluginError("\n".join(problems))
