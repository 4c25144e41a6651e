"""Under `mkdocs serve`, a generated page whose Markdown did not change is not converted again,
and the site a rebuild makes is, file for file, the site a fresh build makes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, site_files

# Builds the project three times in one process, as `mkdocs serve` does: once, then after each
# edit given on the command line; then once more from nothing, with no page remembered. Prints
# how many pages each build converted and the sites' folders.
BUILDS = textwrap.dedent(r"""
    import json, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page
    from generator.site import pagecache

    converted = []
    original = Page.render
    def counting(self, config, files):
        if self.markdown:  # a page taken as the last build finished it has none (kept_pages.py)
            converted[-1].append(self.file.src_uri)
        return original(self, config, files)
    Page.render = counting
    from material.plugins.search.plugin import SearchIndex
    indexed = []
    reading = SearchIndex.add_entry_from_context
    def read(self, page):
        indexed[-1].append(page.file.src_uri)
        return reading(self, page)
    SearchIndex.add_entry_from_context = read

    edits = json.loads(sys.argv[1])
    serve = sys.argv[2] == "serve"
    sites = []
    for n, edit in enumerate([None, *edits, None]):
        if edit is not None:
            path = Path(edit[0])
            path.write_text(path.read_text(encoding="utf-8").replace(edit[1], edit[2]), encoding="utf-8")
        fresh = n == len(edits) + 1
        if fresh:
            pagecache.PAGES.clear()
        site = f"site-{n}"
        config = load_config("mkdocs.yml", site_dir=site)
        if n == 0:
            config.plugins.on_startup(command="serve" if serve else "build", dirty=False)
        if fresh:
            for plugin in config.plugins.values():
                if hasattr(plugin, "serving"):
                    plugin.serving = False
        converted.append([])
        indexed.append([])
        build(config, serve_url="http://127.0.0.1:8000/")
        sites.append(site)
    print(json.dumps({"converted": converted, "indexed": indexed, "sites": sites}))
""")


def _builds(project: Path, edits: list[tuple[str, str, str]], mode: str = "serve") -> dict[str, list]:
    result = subprocess.run([sys.executable, "-c", BUILDS, json.dumps(edits), mode], cwd=project,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def _project(tmp_path: Path) -> Path:
    """The repository's site, searched with the theme's own search, whose index a rebuild reuses
    page by page (with Pagefind, the theme's index reads no page at all)."""
    project = tmp_path / "project"
    for name in ("playbook", "docs"):
        shutil.copytree(REPO / name, project / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      search: pagefind\n" in config
    (project / "mkdocs.yml").write_text(config.replace("      search: pagefind\n", ""), encoding="utf-8")
    return project


def test_a_rebuild_converts_only_changed_pages_and_equals_a_fresh_build(tmp_path: Path) -> None:
    project = _project(tmp_path)
    asset = project / "playbook" / "assets" / "roi-calculator.yaml"
    edits = [
        # A talking point: the asset's reference page and the stage pages showing its card change.
        (str(asset), "    controller can change any of them.",
         "    controller can change any of them. Ask for their invoice count <script>x</script>."),
        # A term's definition: the glossary, and wherever the glossary's texts are used.
        (str(project / "playbook" / "terms" / "icp.yaml"), "definition: >-\n  The description",
         "definition: >-\n  Rewritten. The description"),
    ]
    found = _builds(project, edits)
    first, after_point, after_term, fresh = found["converted"]
    assert len(first) == len(fresh) > 15, (first, fresh)
    # Only pages whose Markdown changed were converted again; the Assets pages are written as
    # HTML (html_pages.py): their Markdown is empty, and stays so.
    assert "stages/scoping.md" in after_point and "glossary.md" not in after_point
    assert not [page for page in after_point + after_term if page.startswith("assets")]
    assert len(after_point) < len(first) // 2, after_point
    assert "glossary.md" in after_term and len(after_term) < len(first) // 2, after_term
    # Search reads again only the pages whose HTML changed.
    indexed = found["indexed"]
    assert len(indexed[0]) == len(indexed[3]) > 15 and "assets.md" in indexed[1]
    assert len(indexed[1]) < len(indexed[0]) // 2 and len(indexed[2]) < len(indexed[0]) // 2, indexed
    # Hand-written pages are converted every time; they may include other files.
    hand_written = {p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")}
    assert hand_written <= set(after_point) and hand_written <= set(after_term)
    rebuilt, built = site_files(project / found["sites"][2]), site_files(project / found["sites"][3])
    assert rebuilt.keys() == built.keys()
    different = [name for name in built if rebuilt[name] != built[name]]
    assert not different, different
    page = rebuilt["assets/index.html"].decode("utf-8")
    assert "Ask for their invoice count &lt;script&gt;x&lt;/script&gt;." in page and "<script>x" not in page
    assert "Rewritten." in rebuilt["glossary/index.html"].decode("utf-8")


# An edit that changes nothing: the rebuild could take every page it converted before.
NO_CHANGE = [("mkdocs.yml", "site_name", "site_name")]


def test_a_plain_build_remembers_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    found = _builds(project, NO_CHANGE, mode="build")
    first, rebuilt, fresh = found["converted"]
    assert first == rebuilt == fresh and len(first) > 15


def test_pages_are_not_remembered_when_an_extension_can_read_files(tmp_path: Path) -> None:
    project = _project(tmp_path)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("markdown_extensions:\n",
                                                       "markdown_extensions:\n  - pymdownx.snippets\n"),
                                        encoding="utf-8")
    found = _builds(project, NO_CHANGE)
    first, rebuilt, fresh = found["converted"]
    assert first == rebuilt == fresh and len(first) > 15
    # With the extensions as they were, the same rebuild converts only the hand-written pages.
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    first, rebuilt, fresh = _builds(project, NO_CHANGE)["converted"]
    hand_written = {p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")}
    assert set(rebuilt) == hand_written and len(first) > len(rebuilt)
