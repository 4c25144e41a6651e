"""A playbook grown to 2,000 assets stays light: no page over 500 KB, and each asset's text in
the search index once (stage pages show cards, but only the asset reference is indexed)."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_mkdocs
from pagefind_index import pagefind_pages

ASSETS = 2000
PAGE_LIMIT = 500_000
# What the default playbook holds before it is grown.
DEFAULT_ASSETS = len(list((REPO / "playbook" / "assets").glob("*.yaml")))
PERSONAS = len(list((REPO / "playbook" / "personas").glob("*.yaml")))
WORDS = ["invoice", "approval", "ledger", "supplier", "payment", "fraud", "audit", "close", "cash", "month",
         "ERP", "workflow", "exception", "controller", "finance", "policy", "vendor", "batch", "remittance",
         "accrual", "matching"]


def grow(root: Path, count: int, seed: int = 7) -> Path:
    """The default project with assets added until there are `count`, each with its own text and
    a marker word (`gm<n>x`) in one talking point."""
    for name in ("playbook", "docs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    rng = random.Random(seed)
    stages = [p.stem for p in (REPO / "playbook" / "stages").glob("*.yaml")]
    personas = [p.stem for p in (REPO / "playbook" / "personas").glob("*.yaml")]
    originals = [yaml.safe_load(p.read_text(encoding="utf-8"))
                 for p in sorted((REPO / "playbook" / "assets").glob("*.yaml"))]
    for n in range(count - len(originals)):
        base = originals[n % len(originals)]

        def sentence(k: int) -> str:
            return " ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + "."

        data = dict(base, id=f"grown-{n}", title=f"{sentence(4)[:-1]} {n}",
                    stages=rng.sample(stages, rng.randint(1, 3)),
                    personas=rng.sample(personas, rng.randint(0, 2)), priority=rng.randint(1, 99),
                    use_when=sentence(10), description=sentence(40),
                    talking_points=[f"{sentence(12)} Marker gm{n}x.", sentence(15), sentence(9)])
        data.pop("expires", None)
        data = {k: v for k, v in data.items() if v != []}
        (root / "playbook" / "assets" / f"grown-{n}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def grown_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = grow(tmp_path_factory.mktemp("grown"), ASSETS)
    result = run_mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return root / "site"


def test_no_page_over_500_kb(grown_site: Path) -> None:
    sizes = {p.relative_to(grown_site).as_posix(): p.stat().st_size for p in grown_site.rglob("*.html")}
    assert len([p for p in sizes if p.startswith("assets")]) == ASSETS // 100  # the reference, 100 assets a page
    too_big = {page: size for page, size in sizes.items() if size > PAGE_LIMIT}
    assert not too_big, too_big
    assert sizes["stages/scoping/index.html"] > 100_000  # the stage page does show many cards
    stage = (grown_site / "stages" / "scoping" / "index.html").read_text(encoding="utf-8")
    assert stage.count('<section class="pb-card"') == 60 and "are in the" in stage  # the rest in the finder
    personas = (grown_site / "personas" / "index.html").read_text(encoding="utf-8")
    # Every persona has more than 20 assets: 20 named, then the finder.
    assert personas.count('href="../finder/?persona=') == PERSONAS >= 4


def test_the_asset_pages_link_to_each_other_and_no_page_shows_a_token(grown_site: Path) -> None:
    second = (grown_site / "assets-2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<em>Pages:</em> <a href="../assets/">1</a> · <strong>2</strong> · '
                     r'<a href="../assets-3/">3</a>', second), re.findall(r".{80}Pages:.{200}", second)[:1]
    leaks = {p.relative_to(grown_site).as_posix() for p in grown_site.rglob("*.html")
             if re.search(r"pbt[0-9a-f]{12}x[0-9]+x", p.read_text(encoding="utf-8"))}
    assert not leaks, leaks


def test_each_asset_text_in_the_search_index_once(grown_site: Path) -> None:
    # The site searches with Pagefind: each page's text as it indexed it.
    index = " ".join(page["content"] for page in pagefind_pages(grown_site))
    counts = {n: index.count(f"gm{n}x") for n in range(ASSETS - DEFAULT_ASSETS)}
    wrong = {n: c for n, c in counts.items() if c != 1}
    assert not wrong, f"{len(wrong)} assets indexed other than once, e.g. {list(wrong.items())[:5]}"
    # The finder's data holds every asset once too, outside any page.
    data = json.loads((grown_site / "assets" / "playbook" / "finder.json").read_text(encoding="utf-8"))
    assert len(data["assets"]) == ASSETS and len({a["id"] for a in data["assets"]}) == ASSETS
