"""One step of the generator, timed in a fresh process: `python benchmarks/phases.py PROJECT STEP`.

STEP is `load` (read and parse every file), `validate` (`check`: load, schemas and every rule, what
`playbook validate` does once started) or `render` (the model, every page, the site's data files
and the downloads, in memory: what `playbook render` does before it writes; the playbook is checked
first, untimed). Each step runs in its own process because the loader remembers the files it has
read: a step after another in the same process would find them parsed already. Modules are
imported before the clock starts, so the figure is the work itself.

Prints one JSON object: the seconds, and for `render` the counts of entries and the navigation
the plugin would build, so a plain MkDocs build of the rendered pages can list the same pages.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model.from_documents import build_model
from generator.rules.freshness import resolve_today
from generator.rules.validate import check
from generator.site.navigation import navigation, page_titles
from generator.site.render import render_pages
from generator.site.static import export_files, scripts, static_files
from generator.source.loader import load_playbook

STEPS = ("load", "validate", "render")


@dataclass
class _Page:
    src_uri: str

    def is_documentation_page(self) -> bool:
        return self.src_uri.endswith(".md")


def measure(project: Path, step: str) -> dict[str, Any]:
    root, docs = project / "playbook", project / "docs"
    today = resolve_today()
    start = time.perf_counter()
    if step == "load":
        load_playbook(root)
        return {"seconds": time.perf_counter() - start}
    loaded, problems = check(root, docs, today)
    checked = time.perf_counter()
    errors = [str(p) for p in problems if not p.warning]
    if errors:
        return {"errors": errors[:20]}
    if step == "validate":
        return {"seconds": checked - start, "warnings": len(problems)}
    start = time.perf_counter()
    playbook = build_model(loaded, today)
    pages = render_pages(playbook)
    static_files(playbook)
    export_files(loaded)
    seconds = time.perf_counter() - start
    hand_written = [_Page(p.relative_to(docs).as_posix()) for p in docs.rglob("*") if p.is_file()]
    return {"seconds": seconds, "counts": playbook.counts(), "site_name": page_titles(playbook)["index.md"],
            "nav": navigation(playbook, [*hand_written, *map(_Page, pages)], set(pages)), "scripts": list(scripts())}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in STEPS:
        sys.exit(f"usage: phases.py PROJECT {{{','.join(STEPS)}}}")
    print(json.dumps(measure(Path(sys.argv[1]), sys.argv[2])))
