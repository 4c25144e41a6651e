"""Print what explaining terms on every page costs the build: the default playbook grown to
ASSETS assets and TERMS terms, built with `terms_everywhere: true` (the default: glossary.js,
glossary.json and "used in" on every glossary entry) and with it off, RUNS times each; medians.

Run: .venv/bin/python scripts/glossary_cost.py [ASSETS] [TERMS] [RUNS]   (default 2000 500 3)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from test_grown import grow  # noqa: E402


def add_terms(root: Path, count: int) -> None:
    """Terms with their own names and abbreviations, used in the grown assets' text."""
    base = yaml.safe_load((REPO / "playbook" / "terms" / "mql.yaml").read_text(encoding="utf-8"))
    for n in range(count):
        data = {k: v for k, v in base.items() if k not in ("related", "not_to_be_confused_with", "lifecycle_state",
                                                          "aliases", "group")}
        data.update(id=f"grown-term-{n}", name=f"Grown concept {n}", abbreviation=f"GC{n}",
                    definition=f"The grown concept number {n}, as both teams use it.")
        (root / "playbook" / "terms" / f"grown-term-{n}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def build(root: Path, terms: bool) -> float:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      playbook: playbook\n", f"      playbook: playbook\n      terms_everywhere: {str(terms).lower()}\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    return elapsed


def main(assets: int, terms: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = grow(Path(tmp), assets)
        add_terms(root, terms)
        times = {True: [], False: []}
        for _ in range(runs):
            for on in (False, True):
                times[on].append(build(root, on))
        off, on = statistics.median(times[False]), statistics.median(times[True])
        glossary = (root / "site" / "assets" / "playbook" / "glossary.json").stat().st_size
        print(f"{assets} assets, {terms + 43} terms, median of {runs} builds: without terms everywhere {off:.2f} s, "
              f"with {on:.2f} s: {on / off:.2f}x; glossary.json {glossary / 1e3:.0f} KB")


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:4]]
    main(*(numbers + [2000, 500, 3][len(numbers):]))
