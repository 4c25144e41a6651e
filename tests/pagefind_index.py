"""What Pagefind indexed of a built site, read from its files: each page's fragment (its address,
title, text and headings), as a search's results show them."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def pagefind_pages(site: Path) -> list[dict[str, Any]]:
    """Every page fragment of the site's Pagefind index (url, content, meta, anchors)."""
    folder = site / "pagefind"
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages: list[dict[str, Any]] = []
    for code, language in entry["languages"].items():
        meta = gzip.decompress((folder / f"pagefind.{language['hash']}.pf_meta").read_bytes())
        # The pages' hashes, and a few others that name no fragment.
        for name in sorted(set(re.findall(re.escape(code).encode() + rb"_[0-9a-f]+", meta))):
            fragment = folder / "fragment" / f"{name.decode()}.pf_fragment"
            if fragment.is_file():
                pages.append(json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(SIGNATURE)))
    assert pages, "no page in the Pagefind index"
    return pages


def pagefind_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
