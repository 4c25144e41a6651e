"""The glossary and the personas, like the assets, are split into pages once they are long, so
no page grows with the playbook: every link to a term or a persona leads to the page that holds
it, the letters lead to where each letter starts, and the site's scripts know each page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

# The default project, built with MkDocs (strict: a link to a missing page or anchor fails it)
# with a few terms and personas to a page, as a large playbook has many.
BUILD = r"""
import sys
from generator.site.pages import paging
paging.PARTS.update(term=("glossary.md", 4), persona=("personas.md", 2))
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict", "--site-dir", sys.argv[1]]
cli()
"""


def test_long_glossary_and_personas_are_split_and_every_link_finds_its_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-c", BUILD, str(site)], cwd=REPO, capture_output=True, text=True,
                            timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin",
                                              "PLAYBOOK_TODAY": "2026-11-23"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    terms = sorted(p.stem for p in (REPO / "playbook" / "terms").glob("*.yaml"))
    personas = sorted(p.stem for p in (REPO / "playbook" / "personas").glob("*.yaml"))
    glossary = {p.parent.name: p.read_text(encoding="utf-8") for p in site.glob("glossary*/index.html")}
    people = {p.parent.name: p.read_text(encoding="utf-8") for p in site.glob("personas*/index.html")}
    assert len(glossary) == -(-len(terms) // 4) and len(people) == -(-len(personas) // 2)
    # Each entry is on exactly one page of its run, under its own anchor.
    where = {}
    for pages, ids in ((glossary, terms), (people, personas)):
        for id in ids:
            holding = [name for name, html in pages.items() if f'id="{id}"' in html]
            assert len(holding) == 1, (id, holding)
            where[id] = holding[0]
    # The later pages say which they are and link to the others.
    assert "<h1 id=\"glossary-page-2-of-" in glossary["glossary-2"]
    assert re.search(r'<em>Pages:</em> <a href="../glossary/">1</a> · <strong>2</strong>', glossary["glossary-2"])
    # Every letter leads to the page where its first term is.
    for name, html in glossary.items():
        nav = re.search(r'<nav class="pb-letters".*?</nav>', html, re.S)
        assert nav is not None, name
        for href in re.findall(r'href="([^"]+)"', nav.group()):
            page, _, anchor = href.partition("#")
            target = name if page == "" else page.strip("./").strip("/") or name
            assert f'id="{anchor}"' in glossary[target], (name, href)
    # The glossary's data for the terms on every page, and the finder's personas, name each page.
    data = json.loads((site / "assets" / "playbook" / "glossary.json").read_text(encoding="utf-8"))
    assert {t["id"]: t["url"] for t in data["terms"]} == {id: f"{where[id]}/#{id}" for id in terms}
    finder = json.loads((site / "assets" / "playbook" / "finder.json").read_text(encoding="utf-8"))
    assert {p["id"]: p["url"] for p in finder["facets"]["persona"]} == {id: f"{where[id]}/#{id}" for id in personas}
    # The topics stay on the first page, and a term on a later page links back to its topic there.
    assert 'id="by-topic"' in glossary["glossary"] and 'id="by-topic"' not in glossary["glossary-2"]
    assert re.search(r'href="../glossary/#topic-[a-z-]+"', glossary["glossary-2"])
