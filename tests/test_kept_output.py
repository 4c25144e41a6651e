"""Under `mkdocs serve`, the theme's HTML of a page that did not change is taken again when nothing
else the theme reads changed (kept_output.py): after edits that change what the theme shows around
the pages, and not the pages, every rebuilt site is, file for file, a fresh build's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, site_files
from test_kept_pages import BUILDS

sys.path.insert(0, str(REPO))
from benchmarks.synth import write_playbook  # noqa: E402

HOOK = """\
def on_page_context(context, page, config, nav):
    context["greeting"] = "hello"
    return context
"""


def test_the_theme_html_is_taken_again_only_while_nothing_it_reads_changed(tmp_path: Path) -> None:
    project = write_playbook(tmp_path / "project", 250, 5)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("      search: pagefind\n", "")
    text = text.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n")
    config.write_text(text + "copyright: Made by the revenue team\n", encoding="utf-8")
    (project / "overrides").mkdir()
    copyright_partial = str(project / "overrides" / "partials" / "copyright.html")
    guide = str(project / "docs" / "propose-a-change.md")
    edits = [
        (str(config), "copyright", "copyright"),  # nothing changed: every page's HTML taken again
        (str(config), "Made by the revenue team", "Kept by the revenue team"),  # the configuration
        (guide, "# How to propose a change", "# How to suggest a change"),  # the navigation's titles
        (copyright_partial, None, "<p>First override</p>\n"),  # a template of custom_dir, before the theme's
        (copyright_partial, "First", "Second"),  # that template edited
        (copyright_partial, "Second", "Second"),  # nothing changed
        (copyright_partial, "Second override", "Built {{ build_date_utc.year }}"),  # the build's date
        (copyright_partial, "Built", "Built"),  # nothing changed, but the date is read: nothing taken
        (copyright_partial, "<p>", None),  # the override deleted: the theme's own again
        (str(project / "hook.py"), None, HOOK),  # not yet used: nothing changed
        (str(config), "plugins:\n", "hooks:\n  - hook.py\nplugins:\n"),  # a hook on the page context
        (str(project / "hook.py"), "hello", "hello"),  # nothing changed, but the hook may change anything
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764000000"}  # the same date in a rebuild and a fresh build
    result = subprocess.run([sys.executable, "-c", BUILDS, json.dumps(edits)], cwd=project, capture_output=True,
                            text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    pages = len(found["written"][0])
    assert pages >= 2, found["written"]
    # No Assets page itself changed: each rebuild takes every one again.
    assert all(len(taken) == pages for taken in found["taken"][1::2]), found["taken"]
    for rebuilt_site, fresh_site in found["pairs"]:
        rebuilt, built = site_files(project / rebuilt_site), site_files(project / fresh_site)
        assert rebuilt.keys() == built.keys(), rebuilt_site
        different = [name for name in built if rebuilt[name] != built[name]]
        assert not different, (rebuilt_site, different)
    # Every page's HTML is taken again when nothing changed, none when what the theme reads did.
    every = sum(1 for name in site_files(project / "site-1") if name.endswith("index.html"))
    outputs = found["outputs"][1::2]
    assert every > pages + 10 and outputs == [every, 0, 0, 0, 0, every, 0, 0, 0, every, 0, 0], (every, outputs)
    assert found["outputs"][2::2] == [0] * len(edits), found["outputs"]  # a fresh build takes none
    # Each edit reached the pages whose HTML was not taken again.
    shown = [site_files(project / f"site-{n}")["assets-2/index.html"].decode("utf-8") for n in range(1, 13)]
    assert "Kept by the revenue team" in shown[1] and "Made by" not in shown[1]
    assert "How to suggest a change" in shown[2]
    assert "First override" in shown[3] and "Second override" in shown[4] and "Built 2025" in shown[6]
    assert "override" not in shown[8] and "Kept by the revenue team" in shown[8]


def test_the_configuration_is_compared_within_bounds_and_the_same_from_one_load_to_the_next() -> None:
    from mkdocs.config import load_config

    from generator.site.kept_output import _plain, _Unknown

    # mkdocs.yml read twice (as every rebuild of `mkdocs serve` reads it) is the same plain value:
    # an address in a repr would keep every page from being taken again.
    first, second = (load_config(str(REPO / "mkdocs.yml")) for _ in range(2))
    assert first is not second and _plain(first) == _plain(second)
    assert "material" in repr(_plain(first)) and "playbook" in repr(_plain(first))
    # One list named ten times at each of ten levels (YAML aliases can do this) is 10**10 parts to
    # walk, and nesting can go on for ever: neither is compared, nor walked to its end.
    bomb: object = ["laugh"] * 10
    for _ in range(10):
        bomb = [bomb] * 10
    deep: object = "bottom"
    for _ in range(200):
        deep = {"down": deep}
    for value in (bomb, deep):
        try:
            _plain({"extra": value})
        except _Unknown:
            continue
        raise AssertionError("compared")
