"""The benchmark: its synthetic playbooks are valid, varied and reproducible from their seed, and a
small run prints the whole table with a number in every cell. No timing is asserted: timings
belong to the machine, and `benchmarks/run.py` states them against the targets itself."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml
from conftest import REPO

sys.path.insert(0, str(REPO))
from benchmarks.synth import plan, write_playbook  # noqa: E402

BIN = Path(sys.executable).parent
# Every figure the benchmark must report, by a part of its row's label.
ROWS = ("entities", "assets", "terms", "personas", "YAML read", "load, in process", "validate, in process",
        "render every page in memory", "`playbook validate` command", "`playbook validate` again",
        "bare load of the same files", "`playbook validate` ÷ bare load", "`playbook validate` again ÷",
        "`playbook render` command",
        "`mkdocs build --strict` with the plugin", "peak memory of that build", "site size", "largest page",
        "search index", "plain `mkdocs build --strict` of the rendered pages", "peak memory of the plain build",
        "plugin build ÷ plain build", "Zensical build of the rendered pages", "Zensical ÷ plain MkDocs",
        "`mkdocs serve`: saved asset to rebuilt page")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_writes_the_same_files_and_another_seed_others(tmp_path: Path) -> None:
    first, again, other = (_files(write_playbook(tmp_path / name, 300, seed) / "playbook")
                           for name, seed in (("a", 5), ("b", 5), ("c", 6)))
    assert first == again
    assert len([f for f in first if f != "playbook.yaml"]) == 300
    generated = {f for f in first if f.startswith(("assets/", "terms/", "personas/"))}
    changed = [f for f in generated if first[f] != other.get(f)]
    assert len(changed) > 0.9 * len(generated), f"only {len(changed)} of {len(generated)} files differ"


def test_a_synthetic_playbook_validates_with_varied_text(tmp_path: Path) -> None:
    root = write_playbook(tmp_path / "p", 1000, 3)
    result = subprocess.run([str(BIN / "playbook"), "validate"], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1001 files checked, no problems" in result.stdout
    # Warnings may come from files copied from the repository, never from generated ones.
    own = {p.relative_to(REPO).as_posix() for p in (REPO / "playbook").rglob("*.yaml")}
    generated_warnings = [line for line in result.stdout.splitlines()
                          if ": warning: " in line and line.split(":", 1)[0] not in own]
    assert not generated_warnings, generated_warnings[:5]
    data = {kind: [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "playbook" / kind).glob("*.yaml")]
            for kind in ("assets", "terms", "personas")}
    counts = plan(1000)
    assert [len(data[k]) for k in ("assets", "terms", "personas")] == [counts.assets, counts.terms, counts.personas]
    assert counts.assets > 6 * counts.terms > 6 * 3 * counts.personas  # many assets, hundreds of terms, few personas
    titles = Counter(a["title"] for a in data["assets"])
    points = Counter(p for a in data["assets"] for p in a["talking_points"])
    assert titles.most_common(1)[0][1] == 1 and points.most_common(1)[0][1] == 1
    assert len({" ".join(a["description"].split()[:6]) for a in data["assets"]}) > 50  # not one template
    names = Counter(re.sub(r"[\W_]+", " ", n).strip().casefold()
                    for t in data["terms"] for n in (t["name"], *t.get("aliases", ())))
    abbreviations = Counter(t["abbreviation"] for t in data["terms"] if "abbreviation" in t)
    assert names.most_common(1)[0][1] == 1 and abbreviations.most_common(1)[0][1] == 1
    assert len({p["name"] for p in data["personas"]}) == len(data["personas"])


def test_a_small_run_prints_every_row_with_numbers(tmp_path: Path) -> None:
    page = tmp_path / "benchmark.md"
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "100", "--runs", "1",
                             "--serve-size", "100", "--edits", "2", "--out", str(page)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(result.stdout)
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and not line.startswith("| figure")]
    cells = {row.split(" | ")[0].removeprefix("| "): row.split(" | ")[1].removesuffix(" |").strip() for row in rows}
    for label in ROWS:
        assert any(label in row for row in cells), f"no row for {label!r} in:\n{result.stdout}"
    not_numbers = {label: cell for label, cell in cells.items() if not re.fullmatch(r"\d[\d,]*(\.\d+)?", cell)}
    assert not not_numbers, not_numbers
    assert cells["entities"] == "100"
    assert "Targets:" in result.stdout and "- no page over 500 KB: largest" in result.stdout
    written = page.read_text(encoding="utf-8")
    assert written.startswith("# Benchmark\n") and "Measured on " in written and " cores, " in written
    assert "\n".join(rows) in written
    # The command to measure again is the one that was run.
    assert f"--sizes 100 --runs 1 --serve-size 100 --edits 2 --out {page}`" in written
    # The site shows the targets as a list, each its own item.
    import markdown

    shown = markdown.markdown(written, extensions=["tables"])
    assert re.search(r"<li>no page over 500 KB: largest .*?</li>", shown), shown[-2000:]
