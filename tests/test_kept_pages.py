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

    written, taken = [], []  # the pages of a run each build wrote, and took again
    writing, rendering = render._render_html, render._render
    def counting(env, playbook, template, page, *args, **kwargs):
        written[-1].append(page)
        return writing(env, playbook, template, page, *args, **kwargs)
    def counting_markdown(env, playbook, template, page, *args, **kwargs):
        if template in ("assets.md.j2", "personas.md.j2", "glossary.md.j2"):
            written[-1].append(page)
        return rendering(env, playbook, template, page, *args, **kwargs)
    render._render_html, render._render = counting, counting_markdown
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
    # An asset among the first a persona lists, and a term no asset's text uses yet.
    listed = next(path for path in assets if "\npriority: 1\n" in texts[path] and "\npersonas:\n" in texts[path])
    listed_title = next(line for line in texts[listed].splitlines() if line.startswith("title: "))
    term_name = next(line for path in sorted((book / "terms").glob("*.yaml"))
                     for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("name: "))[7:-1]
    unused = f"Ask for the {term_name} before the call."
    # An asset no persona lists, far down every list: given to the listed asset's first persona.
    lister = texts[listed].split("\npersonas:\n  - ", 1)[1].split("\n", 1)[0]
    unlisted = next(path for path in reversed(assets) if "\npersonas:" not in texts[path]
                    and "\npriority: " not in texts[path] and "\nowner: " in texts[path])
    assert all(term_name.casefold() not in text.casefold() for text in texts.values()), term_name
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
        # An asset a persona lists, retitled: its Assets page and the Personas page.
        (str(listed), listed_title, listed_title[:-1] + ' (new)"'),
        # An asset given to a persona, after its first assets: the Personas page counts it.
        (str(unlisted), "\nowner: ", f"\npersonas:\n  - {lister}\nowner: "),
        # A talking point that uses a term: its Assets page and the term's Glossary page.
        (str(assets[151]), "talking_points:\n", f"talking_points:\n  - {unused}\n"),
        # What every page shows: a persona's name on its chips, a stage's name, a team's name.
        (str(persona), persona_name, persona_name[:-1] + ' (renamed)"'),
        (str(stage), stage_name, stage_name + " and scope"),
        (str(book / "playbook.yaml"), 'name: "Sales"', 'name: "Sales team"'),
        # A Markdown extension: its quotes on the Personas page, and every page is written again.
        ("mkdocs.yml", "  - tables\n", "  - tables\n  - smarty\n"),
        # Its settings, with every page made from Markdown (the Assets pages too, with smarty).
        ("mkdocs.yml", "  - smarty\n", "  - smarty:\n      smart_quotes: false\n"),
        # The day freshness is judged on: review dates pass.
        ("today", "", "2031-01-01"),
    ]
    result = subprocess.run([sys.executable, "-c", BUILDS, json.dumps(edits)], cwd=project, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    written = found["written"]
    every = written[0]
    assert len([page for page in every if page.startswith("assets")]) >= 3, every
    assert "personas.md" in every and "glossary.md" in every, every
    # Each rebuild is followed by a fresh build, which writes every page.
    rebuilds, fresh = written[1::2], written[2::2]
    assert all(sorted(pages) == sorted(every) for pages in fresh), fresh
    point, same, title, stages, end, moved, retitled_listed, counted, term_use, *everywhere = rebuilds
    # Of the Assets pages, only those showing the asset; the Personas page if a persona lists it.
    title, stages, end = ([page for page in pages if page.startswith("assets")] for pages in (title, stages, end))
    assert len(point) == 1 and same == [] and len(title) == len(stages) == len(end) == 1, rebuilds
    assert len(moved) >= 2, moved
    assert len({point[0], title[0], stages[0], end[0]}) > 1, rebuilds  # not always the same page
    assert "personas.md" in retitled_listed and "glossary.md" not in retitled_listed, retitled_listed
    assert "glossary.md" in term_use and "personas.md" not in term_use, term_use
    assert "personas.md" in counted and len(counted) == 2, counted
    assert all(sorted(pages) == sorted(every) for pages in everywhere), everywhere
    # Every Assets page of a rebuild was either written or taken as the last build left it; a
    # fresh build takes none.
    taken = found["taken"]
    assert all(sorted(w + t) == sorted(every) for w, t in zip(rebuilds, taken[1::2], strict=True)), taken
    assert all(t == [] for t in taken[2::2]) and len(taken[1]) == len(every) - 1, taken
    # The theme's HTML too, of each page equal to the last build's (kept_output.py): after one
    # talking point, all but the few that show it; after no change, all. A fresh build takes none.
    outputs = found["outputs"]
    site_pages = sum(1 for name in site_files(project / "site-1") if name.endswith("index.html"))
    assert len(every) - 1 <= outputs[1] < site_pages and outputs[3] == site_pages, (site_pages, outputs)
    assert outputs[2::2] == [0] * len(edits), outputs
    for rebuilt_site, fresh_site in found["pairs"]:
        rebuilt, built = site_files(project / rebuilt_site), site_files(project / fresh_site)
        assert rebuilt.keys() == built.keys(), rebuilt_site
        different = [name for name in built if rebuilt[name] != built[name]]
        assert not different, (rebuilt_site, different)
    page = site_files(project / "site-1")[point[0][:-3] + "/index.html"].decode("utf-8")
    assert "Ask what &lt;b&gt;their&lt;/b&gt; auditor said." in page and "<b>their" not in page
