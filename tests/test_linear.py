"""Validation and rendering grow with the playbook, and no faster, on the hostile shapes: many
short terms sharing a prefix, one huge text that names every term once, and agreed values that
share a long prefix. Each input is doubled; the time must not quadruple (best of three runs, so
that a busy machine does not decide)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from conftest import FIXTURES

from generator.model.build import build_playbook
from generator.rules.validate import check
from generator.site.render import render_pages

TERM = """\
id: {id}
name: Ab{n} term
definition: The term number {n}.
owner: sales
"""


def hostile(root: Path, terms: int) -> Path:
    """The mini playbook with `terms` short terms named 'Ab<n> term', an asset description naming
    each once in one long text, and as many values sharing a 150-character prefix."""
    shutil.copytree(FIXTURES / "mini", root)
    for n in range(terms):
        (root / "terms" / f"ab{n}.yaml").write_text(TERM.format(id=f"ab{n}", n=n), encoding="utf-8")
    text = " ".join(f"We use Ab{n} term here, and some words between them." for n in range(terms))
    asset = root / "assets" / "guide.yaml"
    source = asset.read_text(encoding="utf-8")
    asset.write_text(source.replace("description: A guide to buying anvils.", f"description: '{text}'"),
                     encoding="utf-8")
    prefix = "within " + "y" * 150
    values = "".join(f"  - id: v{n}\n    value: {prefix} {n} days\n" for n in range(terms))
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "values:\n" + values, encoding="utf-8")
    return root


def _best(root: Path) -> tuple[float, float]:
    """The best of three runs of validation, and of validation with every page rendered."""
    checking, rendering = [], []
    for _ in range(3):
        started = time.perf_counter()
        problems = check(root, root / "no-docs")[1]
        checking.append(time.perf_counter() - started)
        assert [str(p) for p in problems if not p.warning] == []
        started = time.perf_counter()
        pages = render_pages(build_playbook(root, root / "no-docs"))
        rendering.append(time.perf_counter() - started)
    assert "Ab7 term" in "".join(pages.values())
    return min(checking), min(rendering)


def test_validation_and_rendering_double_with_the_input(tmp_path: Path) -> None:
    small = _best(hostile(tmp_path / "small", 400))
    large = _best(hostile(tmp_path / "large", 800))
    print(f"validate {small[0]:.2f} s -> {large[0]:.2f} s, render {small[1]:.2f} s -> {large[1]:.2f} s "
          "for 400 -> 800 terms, values and sentences")
    assert large[0] < 3 * small[0] + 0.3, (small, large)
    assert large[1] < 3 * small[1] + 0.3, (small, large)
