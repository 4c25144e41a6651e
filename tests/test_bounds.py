"""Output grows with input, and no faster: a cap on bytes written per byte read, for the default
playbook and for the worst text a field can hold (punctuation, which HTML writes as entities)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, run_mkdocs
from pagefind_index import pagefind_bytes
from test_hostile import ASSET, playbook

from generator.rules.values import EXPANSION_ALLOWANCE

# Bytes of HTML and search index per byte of YAML, above a fixed allowance for each page's theme
# (header, navigation, footer). Measured: 4 on the default playbook, 18 on pure punctuation.
CAP = 30
PAGE_ALLOWANCE = 40_000


def output_bytes(site: Path) -> tuple[int, int]:
    """The bytes of the pages and of the search index the site searches with (Pagefind's, when it
    has one), and the number of pages."""
    pages = list(site.rglob("*.html"))
    theme = site / "search" / "search_index.json"
    index = pagefind_bytes(site) if (site / "pagefind").is_dir() else theme.stat().st_size
    return sum(p.stat().st_size for p in pages) + index, len(pages)


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


# Bytes of HTML and search index per byte added to the default playbook by the worst file we can
# construct: an asset on all five stage pages whose talking point is punctuation and names a
# 200-character agreed value of punctuation as often as the expansion budget allows (2 times the
# file's texts plus 4,000 characters). Measured: 34.
MARGINAL_CAP = 50


def test_a_value_named_to_the_limit_stays_under_the_marginal_cap(default_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "playbook", project / "playbook")
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    asset = project / "playbook" / "assets" / "security-pack.yaml"
    text = asset.read_text(encoding="utf-8")
    stages = "".join(f"  - {s.stem}\n" for s in sorted((project / "playbook" / "stages").glob("*.yaml")))
    text = re.sub(r"stages:\n(  - .*\n)+", "stages:\n" + stages, text, count=1)
    junk = "<a&\"'" * 4000
    # junk + 305 n <= 2 (junk + 5 n) + allowance: [[p]] is 5 characters, shows 200 and counts 100 for its link.
    names = (len(junk) + EXPANSION_ALLOWANCE) // 295
    point = junk + "[[p]]" * names
    asset.write_text(text.replace("talking_points:\n", "talking_points:\n  - '" + point.replace("'", "''") + "'\n", 1),
                     encoding="utf-8")
    settings = project / "playbook" / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "values:\n", "values:\n  - id: p\n    value: '" + "<&>\"''" * 40 + "'\n", 1), encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    before, after = output_bytes(default_site)[0], output_bytes(project / "site")[0]
    added = input_bytes(project / "playbook") - input_bytes(REPO / "playbook")
    ratio = (after - before) / added
    print(f"{added:,} bytes of YAML added -> {after - before:,} bytes of HTML and index: {ratio:.1f} per byte")
    page = (project / "site" / "stages" / "scoping" / "index.html").read_text(encoding="utf-8")
    assert page.count('href="../../values/#value-p"') >= names  # every name shown, on a stage page
    assert ratio <= MARGINAL_CAP
    # One name more than the budget allows is refused, at the file.
    asset.write_text(asset.read_text(encoding="utf-8").replace("[[p]]'", "[[p]]" * 20 + "'", 1), encoding="utf-8")
    refused = run_mkdocs(project, "build", "--strict")
    assert refused.returncode == 1 and "more than 2 times their" in refused.stdout + refused.stderr
