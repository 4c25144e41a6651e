"""The files a playbook site serves besides its pages: its script, its styles and the data the
asset finder reads. The same for a site built by the plugin and for `playbook render`."""

from __future__ import annotations

import json
from importlib import resources

from ..model.playbook import Playbook
from .pages.finder import finder_data
from .pages.paging import entry_pages
from .pages.vocabulary import glossary_data
from .urls import FINDER_DATA, STATIC, page_url

# The site's own scripts, in the order pages load them.
SCRIPTS = ("playbook.js", "glossary.js", "onboarding.js")


def static_files(playbook: Playbook, directory_urls: bool = True, terms: bool = True) -> dict[str, str]:
    """Path relative to the site's root -> content; without `terms`, no script explains terms."""
    folder = resources.files("generator.site") / "theme"
    files = {f"{STATIC}/{name}": (folder / name).read_text(encoding="utf-8")
             for name in ("playbook.css", *scripts(terms))}
    files[FINDER_DATA] = _json(finder_data(playbook, directory_urls))
    if terms:
        pages = entry_pages(playbook)["term"]
        files[f"{STATIC}/glossary.json"] = _json(glossary_data(
            playbook, {id: page_url(page, directory_urls) for id, page in pages.items()}))
    return files


def scripts(terms: bool = True) -> tuple[str, ...]:
    """The scripts every page loads."""
    return SCRIPTS if terms else tuple(s for s in SCRIPTS if s != "glossary.js")


def _json(data: object) -> str:
    """Compact, and `<` written as \\u003c so the data can never close an HTML element if inlined."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
