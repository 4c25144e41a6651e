"""The files a playbook site serves besides its pages: its script, its styles and the data the
asset finder reads. The same for a site built by the plugin and for `playbook render`."""

from __future__ import annotations

import json
from importlib import resources

from .model import Playbook
from .render import FINDER_DATA, STATIC, finder_data


def static_files(playbook: Playbook, directory_urls: bool = True) -> dict[str, str]:
    """Path relative to the site's root -> content."""
    folder = resources.files("generator") / "static"
    files = {f"{STATIC}/{name}": (folder / name).read_text(encoding="utf-8")
             for name in ("playbook.css", "playbook.js")}
    # Compact, and `<` written as \u003c so the data can never close an HTML element if inlined.
    data = json.dumps(finder_data(playbook, directory_urls), ensure_ascii=False, separators=(",", ":"))
    files[FINDER_DATA] = data.replace("<", "\\u003c")
    return files
