"""Print how validation time, build time and output size grow with the playbook: each figure
should roughly double when the input doubles. Run: .venv/bin/python scripts/linear.py [COPIES...]

Copies the default playbook's assets, terms and personas N times (new ids, same text), then runs
`playbook validate` in process and `mkdocs build --strict` as a command, and prints one line each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.rules.validate import check  # noqa: E402

GROWN = ("assets", "terms", "personas")


def grown_project(root: Path, copies: int) -> Path:
    shutil.copytree(REPO / "playbook", root / "playbook")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in GROWN:
        originals = sorted((root / "playbook" / folder).glob("*.yaml"))
        for n in range(1, copies):
            for path in originals:
                text = path.read_text(encoding="utf-8").replace(f"id: {path.stem}\n", f"id: {path.stem}-c{n}\n", 1)
                if folder == "terms":  # names and abbreviations are looked up; keep them distinct
                    text = text.replace("\nname: ", f"\nname: C{n} ", 1)
                (path.parent / f"{path.stem}-c{n}.yaml").write_text(text, encoding="utf-8")
    return root


def measure(copies: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = grown_project(Path(tmp), copies)
        read = sum(p.stat().st_size for p in (root / "playbook").rglob("*.yaml"))
        start = time.perf_counter()
        _, problems = check(root / "playbook", root / "docs")
        validated = time.perf_counter() - start
        start = time.perf_counter()
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                                capture_output=True, text=True)
        built = time.perf_counter() - start
        site = root / "site"
        index = site / "search" / "search_index.json"
        written = sum(p.stat().st_size for p in site.rglob("*.html")) + index.stat().st_size
        status = "ok" if result.returncode == 0 and not problems else "FAILED"
        return (f"x{copies:<3} {read / 1e6:6.2f} MB of YAML  validate {validated:6.2f} s  build {built:6.2f} s  "
                f"site {written / 1e6:7.2f} MB  ({written / read:4.1f} bytes per byte)  {status}")


if __name__ == "__main__":
    for copies in [int(a) for a in sys.argv[1:]] or [1, 2, 4, 8]:
        print(measure(copies), flush=True)
