"""The Assets pages are written straight as HTML for a site (generator/site/html_pages.py), and
are exactly the pages Markdown makes of their Markdown templates: on a playbook with several
Assets pages, hostile texts in an asset included, every Assets page of a site built that way
equals, line for line, the page of the same site built through Markdown. A site whose Markdown
extensions or `toc` settings could change a page gets every page through Markdown."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import REPO, run_mkdocs

from generator.site.html_pages import heading_style

sys.path.insert(0, str(REPO))
from benchmarks.synth import write_playbook  # noqa: E402

HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(2)) {: onclick=\"alert(3)\" } &amp; `code`"
WRITTEN = "generated pages written as HTML, without Markdown"


def _lines(page: Path) -> list[str]:
    return [line.strip() for line in page.read_text(encoding="utf-8").splitlines() if line.strip()]


def _project(root: Path, toc: str) -> Path:
    project = write_playbook(root, 300, 7)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("      search: pagefind\n", "")
    (project / "mkdocs.yml").write_text(config.replace("  - toc:\n      permalink: true\n", toc), encoding="utf-8")
    asset = sorted((project / "playbook" / "assets").glob("*.yaml"))[3]
    text = asset.read_text(encoding="utf-8")
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    text = re.sub(r'(?m)^title: .*$', f'title: "{quoted} title"', text, count=1)
    text = text.replace("description: >-\n", f'description: "{quoted}\\n\\nA second paragraph with '
                        '[[speed-to-lead-target]]."\nold_description: >-\n', 1)
    text = re.sub(r"(?ms)^old_description: >-\n(  .*?\n)+", "", text, count=1)
    points = f'keywords: ["<b>&amp; {{: x }}"]\ntalking_points:\n  - "{quoted} point"\n'
    text = text.replace("talking_points:\n", points, 1)
    asset.write_text(text, encoding="utf-8")
    return project


def test_assets_pages_written_as_html_equal_what_markdown_makes_of_them(tmp_path: Path) -> None:
    html = _project(tmp_path / "html", "  - toc:\n      permalink: true\n")
    # toc_depth 6 is toc's default: the same pages, but a setting the HTML pages do not follow.
    markdown = _project(tmp_path / "markdown", "  - toc:\n      permalink: true\n      toc_depth: 6\n")
    built = {}
    for project in (html, markdown):
        result = run_mkdocs(project, "build", "--strict")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        built[project] = result.stdout + result.stderr
    assert f"3 {WRITTEN}" in built[html] and WRITTEN not in built[markdown]
    pages = sorted((p.relative_to(html / "site") for p in (html / "site").glob("assets*/index.html")),
                   key=lambda p: (len(p.as_posix()), p.as_posix()))
    assert [p.as_posix() for p in pages] == ["assets/index.html", "assets-2/index.html", "assets-3/index.html"]
    for page in pages:
        assert _lines(html / "site" / page) == _lines(markdown / "site" / page), page
    # The hostile texts are text on the page, escaped, wherever the asset shows.
    shown = "".join((html / "site" / p).read_text(encoding="utf-8") for p in pages)
    assert "<script>alert(1)" not in shown and "javascript:alert" not in shown.replace("javascript:alert(2)) {", "")
    assert shown.count("&lt;script&gt;alert(1)&lt;/script&gt; **bold**") >= 4  # table, heading, card, point
    assert "&lt;b&gt;&amp;amp; {: x }" in shown and "<b>&amp;" not in shown
    assert 'onclick="alert(3)"' not in shown


def test_only_a_site_whose_extensions_cannot_change_the_pages_gets_them_as_html() -> None:
    assert heading_style(["toc", "tables", "fenced_code", "attr_list", "admonition"], {"toc": {"permalink": True}})
    assert heading_style(["toc", "attr_list"], {})
    for extensions, settings in ((["toc", "attr_list", "pymdownx.smartsymbols"], {}), (["toc"], {}),
                                 (["attr_list"], {}), (["toc", "attr_list"], {"toc": {"toc_depth": 3}}),
                                 (["toc", "attr_list"], {"toc": {"permalink": "#"}}),
                                 (["toc", "attr_list", {"abbr": {}}], {})):
        assert heading_style(extensions, settings) is None, (extensions, settings)
