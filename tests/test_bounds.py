"""Output grows with input, and no faster: a cap on bytes written per byte read, for the default
playbook and for the worst text a field can hold (punctuation, which HTML writes as entities)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import REPO
from test_hostile import ASSET, playbook

# Bytes of HTML and search index per byte of YAML, above a fixed allowance for each page's theme
# (header, navigation, footer). Measured: 4 on the default playbook, 18 on pure punctuation.
CAP = 30
PAGE_ALLOWANCE = 40_000


def output_bytes(site: Path) -> tuple[int, int]:
    pages = list(site.rglob("*.html"))
    index = site / "search" / "search_index.json"
    return sum(p.stat().st_size for p in pages) + index.stat().st_size, len(pages)


def input_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*.yaml"))


def assert_capped(site: Path, root: Path) -> float:
    written, pages = output_bytes(site)
    read = input_bytes(root)
    ratio = (written - pages * PAGE_ALLOWANCE) / read
    print(f"{read:,} bytes of YAML -> {written:,} bytes of HTML and index in {pages} pages: "
          f"{ratio:.1f} bytes per byte above the theme")
    assert ratio <= CAP
    return ratio


def test_default_playbook_output_is_capped(default_site: Path) -> None:
    assert_capped(default_site, REPO / "playbook")


def test_worst_text_output_is_capped(build_site: Callable[..., Path], tmp_path: Path) -> None:
    junk = "<a&\"'" * 20_000
    quoted = "'" + junk.replace("'", "''") + "'"
    asset = ASSET.replace("  - Most buyers overpay by a third.", f"  - {quoted}") \
        .replace("description: A guide to buying anvils.", f"description: {quoted}")
    root = playbook(tmp_path / "in", {"assets/guide.yaml": asset})
    site = build_site(root)
    ratio = assert_capped(site, root)
    page = (site / "stages" / "learning" / "index.html").read_text(encoding="utf-8")
    assert page.count("&lt;a&amp;&quot;&#x27;") >= 40_000  # both texts, whole, on the stage page
    assert ratio > 1
