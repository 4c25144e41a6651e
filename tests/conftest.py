"""Shared fixtures: real sites built from real playbooks in temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

# What the generated suites tried, printed after every run (also when run in workers with -n).
from suite_summary import pytest_sessionfinish, pytest_terminal_summary, pytest_testnodedown  # noqa: F401

# Review and end dates are judged on one fixed day, so what the tests see does not change with
# the calendar: on this day the default playbook has an overdue review and a withdrawn asset.
TODAY = "2026-11-23"
os.environ["PLAYBOOK_TODAY"] = TODAY
# What `playbook validate` keeps for its next run goes to a folder of the test run's own, not the
# user's cache (generator/source/diskcache.py).
os.environ.setdefault("PLAYBOOK_CACHE", tempfile.mkdtemp(prefix="playbook-cache-"))

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]

SITE_CONFIG = r"""site_name: Test playbook
theme:
  name: material
  font: false
plugins:
  - search:
      separator: '[\s\-,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;'
  - playbook:
      site_name: true
markdown_extensions:
  - attr_list
  - tables
  - admonition
  - toc:
      permalink: true
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, to compare two builds file for file (the compressed
    sitemap, which holds the time it was written, aside)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs` command in project, capturing its output."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(MKDOCS + list(args), cwd=project, capture_output=True, text=True, env=env, timeout=300)


def make_project(root: Path, playbook: Path = FIXTURES / "mini", config: str = SITE_CONFIG,
                 docs: dict[str, str] | None = None) -> Path:
    """A folder with mkdocs.yml, docs/ and a copy of the playbook, ready to build."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(playbook, root / "playbook")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs").mkdir()
    for name, text in (docs or {}).items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., Path]:
    """Build a real site with `mkdocs build --strict`; returns the site folder.

    Fails the test, with MkDocs' output, when the build fails.
    """

    def build(playbook: Path = FIXTURES / "mini", config: str = SITE_CONFIG,
              docs: dict[str, str] | None = None) -> Path:
        project = make_project(tmp_path / "project", playbook, config, docs)
        result = run_mkdocs(project, "build", "--strict")
        assert result.returncode == 0, result.stdout + result.stderr
        return project / "site"

    return build


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once from the default playbook with --strict."""
    out = tmp_path_factory.mktemp("default") / "site"
    result = run_mkdocs(REPO, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out
