"""Under `mkdocs serve`, an Assets page made from the same as in the last build is taken as that
build finished it, and after every kind of edit the site a rebuild makes is, file for file, the
site a fresh build of the same files makes (kept_pages.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, site_files

sys.path.insert(0, str(REPO))
from benchmarks.synth import write_playbook  # noqa: E402

# Builds the project as `mkdocs serve` does, once and then after each edit given on the command
# line (path, old, new: old None writes the file anew, new None deletes it); after each rebuild, a
# build that remembers nothing, into a folder of its own. Prints the Assets pages each build wrote
# and took again, the sites' folders, and how many pages' HTML each build took again.
BUILDS = textwrap.dedent(r"""
    import json, os, shutil, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from generator.site import kept_pages, pagecache, render

    written, taken = [], []
    writing = render._render_html
    def counting(env, playbook, template, page, *args, **kwargs):
        written[-1].append(page)
        return writing(env, playbook, template, page, *args, **kwargs)
    render._render_html = counting
    taking = kept_pages.KeptPages.kept
    def took(self, page):
        found = taking(self, page)
        if found is not None:
            taken[-1].append(page)
        return found
    kept_pages.KeptPages.kept = took

    outputs = []  # how many pages' HTML the theme did not write again (kept_output.py)

    def run(site, serving):
        # Served, every build writes to the same folder, as `mkdocs serve` does; it is copied.
        config = load_config("mkdocs.yml", site_dir="served" if serving else site)
        if not run.started:
            config.plugins.on_startup(command="serve", dirty=False)
            run.started = True
        for plugin in config.plugins.values():
            if hasattr(plugin, "serving"):
                plugin.serving = serving
        written.append([])
        taken.append([])
        build(config, serve_url="http://127.0.0.1:8000/")
        outputs.append(config.plugins["playbook"].outputs.reused)
        if serving:
            shutil.copytree("served", site)
    run.started = False

    run("site-0", True)
    pairs = []
    for n, (path, old, new) in enumerate(json.loads(sys.argv[1]), 1):
        if path == "today":
            os.environ["PLAYBOOK_TODAY"] = new
        elif old is None:  # a new file, or one written anew
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(new, encoding="utf-8")
        elif new is None:
            Path(path).unlink()
        else:
            text = Path(path).read_text(encoding="utf-8")
            assert old in text, (path, old)
            Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")
        run(f"site-{n}", True)
        pagecache.PAGES.clear()  # nothing remembered, as in a fresh build
        run(f"fresh-{n}", False)
        pairs.append((f"site-{n}", f"fresh-{n}"))
    print(json.dumps({"written": written, "taken": taken, "pairs": pairs, "outputs": outputs}))
""")


def test_a_rebuild_writes_only_the_assets_pages_that_changed_and_equals_a_fresh_build(tmp_path: Path) -> None:
    project = write_playbook(tmp_path / "project", 400, 3)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # Searched with the theme's own index: Pagefind would index every build again.
    (project / "mkdocs.yml").write_text(config.replace("      search: pagefind\n", ""), encoding="utf-8")
    book = project / "playbook"
    assets = sorted((book / "assets").glob("*.yaml"))
    texts = {path: path.read_text(encoding="utf-8") for path in assets}
    lasting = [path for path in assets if "expires:" not in texts[path]]
    not_learning = [path for path in assets if "  - learning\n" not in texts[path]]
    persona = sorted((book / "personas").glob("*.yaml"))[0]
    persona_name = next(line for line in persona.read_text(encoding="utf-8").splitlines() if line.startswith("name: "))
    titled = assets[20]
    title_line = next(line for line in texts[titled].splitlines() if line.startswith("title: "))
    retitled = title_line[:-1] + ', revised"' if title_line.endswith('"') else title_line + ", revised"
    stage = book / "stages" / "scoping.yaml"
    stage_name = next(line for line in stage.read_text(encoding="utf-8").splitlines() if line.startswith("name: "))
    edits = [
        # A talking point: the one Assets page that shows the asset.
        (str(assets[150]), "talking_points:\n", "talking_points:\n  - Ask what <b>their</b> auditor said.\n"),
        # Nothing changed: no Assets page is written again.
        (str(assets[150]), "their", "their"),
        # A title, stages and an end date: only the page with the asset.
        (str(titled), title_line, retitled),
        (str(not_learning[-1]), "stages:\n", "stages:\n  - learning\n"),
        (str(lasting[len(lasting) // 2]), "review_by: ", "expires: '2026-12-01'\nreview_by: "),
        # A title that moves the asset to another page: the pages between the two places.
        (str(assets[-5]), "title: ", "title: Aardvark "),
        # What every page shows: a persona's name on its chips, a stage's name, a team's name.
        (str(persona), persona_name, persona_name[:-1] + ' (renamed)"'),
        (str(stage), stage_name, stage_name + " and scope"),
        (str(book / "playbook.yaml"), 'name: "Sales"', 'name: "Sales team"'),
        # The day freshness is judged on: review dates pass.
        ("today", "", "2031-01-01"),
    ]
    result = subprocess.run([sys.executable, "-c", BUILDS, json.dumps(edits)], cwd=project, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    written = found["written"]
    every = written[0]
    assert len(every) >= 3 and all(page.startswith("assets") for page in every), every
    # Each rebuild is followed by a fresh build, which writes every page.
    rebuilds, fresh = written[1::2], written[2::2]
    assert all(sorted(pages) == sorted(every) for pages in fresh), fresh
    point, same, title, stages, end, moved, *everywhere = rebuilds
    assert len(point) == 1 and same == [] and len(title) == len(stages) == len(end) == 1, rebuilds
    assert len(moved) >= 2, moved
    assert len({point[0], title[0], stages[0], end[0]}) > 1, rebuilds  # not always the same page
    assert all(sorted(pages) == sorted(every) for pages in everywhere), everywhere
    # Every Assets page of a rebuild was either written or taken as the last build left it; a
    # fresh build takes none.
    taken = found["taken"]
    assert all(sorted(w + t) == sorted(every) for w, t in zip(rebuilds, taken[1::2], strict=True)), taken
    assert all(t == [] for t in taken[2::2]) and len(taken[1]) == len(every) - 1, taken
    # The theme's HTML too, for each page taken again, unless the navigation or what every
    # page shows changed (kept_output.py); a fresh build takes none.
    outputs = found["outputs"]
    assert outputs[1::2][:6] == [len(t) for t in taken[1::2][:6]] and outputs[3] == len(every), outputs
    assert outputs[2::2] == [0] * len(edits), outputs
    for rebuilt_site, fresh_site in found["pairs"]:
        rebuilt, built = site_files(project / rebuilt_site), site_files(project / fresh_site)
        assert rebuilt.keys() == built.keys(), rebuilt_site
        different = [name for name in built if rebuilt[name] != built[name]]
        assert not different, (rebuilt_site, different)
    page = site_files(project / "site-1")[point[0][:-3] + "/index.html"].decode("utf-8")
    assert "Ask what &lt;b&gt;their&lt;/b&gt; auditor said." in page and "<b>their" not in page
