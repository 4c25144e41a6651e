"""The release as people get it: the sdist and wheel built without a warning, checked as the package
index checks them, installed into a fresh virtual environment outside the repository, and used there.

The build and the install are made once for the whole run (about 45 s between them), also when
pytest-xdist spreads these tests over several workers; the tests then read what they made.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
import tomllib

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION: str = PROJECT["version"]
REPOSITORY: str = PROJECT["urls"]["Repository"]

# A warning of the build: setuptools' own ("warning: ...", "WARNING Package ... is absent"), or a
# Python warning it raises ("SetuptoolsDeprecationWarning: ..."). A file named warnings.py is not one.
WARNING = re.compile(r"(?i)(?:^|[\s*:])warn(?:ing)?s?\b|Warning:")
# pip, setting up the build's own environment, notes a folder of the machine's package index that
# is missing; that is the machine's, not the package's.
INDEX_NOTE = re.compile(r"^WARNING: Location '[^']*' is ignored")


def _env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # With it, setuptools warns that it skips byte-compiling; the wheel is the same either way.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    return env


def _run(args: list[str | Path], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@dataclass(frozen=True)
class Dists:
    wheel: Path
    sdist: Path
    output: str


@dataclass(frozen=True)
class Installed:
    bin: Path
    work: Path


@contextmanager
def _once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Iterator[Path]:
    """A folder made by make() once per run: the first worker of pytest-xdist to get here makes it
    while the others wait on a lock, then all read it (the workers share their temporary root)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / f"release-{name}"
    root.mkdir(exist_ok=True)
    assert not root.is_relative_to(REPO)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (root / "made").exists():
                shutil.rmtree(root / "out", ignore_errors=True)
                (root / "out").mkdir()
                make(root / "out")
                (root / "made").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield root / "out"


@pytest.fixture(scope="session")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dists]:
    """The sdist, then the wheel built from it, as `python -m build` makes them.

    The wheel is built from the unpacked sdist, so a file the sdist leaves out is missing from the
    wheel too, and nothing left in the repository's build/ folder can slip in.
    """

    def make(out: Path) -> None:
        result = _run([sys.executable, "-m", "build", "--outdir", out / "dist", REPO], cwd=out)
        (out / "output.txt").write_text(result.stdout + result.stderr, encoding="utf-8")

    with _once(tmp_path_factory, "dists", make) as out:
        wheels = list((out / "dist").glob("*.whl"))
        sdists = list((out / "dist").glob("*.tar.gz"))
        assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in (out / "dist").iterdir())
        yield Dists(wheels[0], sdists[0], (out / "output.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def installed(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """A fresh virtual environment (no system packages) with only the wheel and its dependencies,
    installed by pip from the configured package index."""

    def make(out: Path) -> None:
        _run([sys.executable, "-m", "venv", out / "venv"], cwd=out)
        pip = [out / "venv" / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "--no-input"]
        _run([*pip, "install", "--quiet", dists.wheel], cwd=out, timeout=900)

    with _once(tmp_path_factory, "installed", make) as out:
        work = tmp_path_factory.mktemp("work")
        assert not work.is_relative_to(REPO)
        yield Installed(out / "venv" / "bin", work)


# ---------------------------------------------------------------- the build


def test_the_build_gives_no_warning(dists: Dists) -> None:
    warnings = [line for line in dists.output.splitlines()
                if WARNING.search(line) and not INDEX_NOTE.match(line)]
    assert not warnings, "\n".join(warnings)
    assert dists.wheel.name == f"sales_playbook-{VERSION}-py3-none-any.whl"
    assert dists.sdist.name == f"sales_playbook-{VERSION}.tar.gz"


def test_the_wheel_holds_the_code_templates_theme_schemas_and_licence(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        for template in (REPO / "generator/site/templates").glob("*.j2"):
            assert f"generator/site/templates/{template.name}" in names
        for theme in (REPO / "generator/site/theme").iterdir():
            if theme.suffix in {".css", ".js"}:
                assert f"generator/site/theme/{theme.name}" in names
        # generator/source/schemas is a link to the repository's schemas/: the wheel holds the files
        # themselves, byte for byte.
        schemas = sorted((REPO / "schemas").rglob("*.json"))
        assert len(schemas) >= 10
        for schema in schemas:
            name = f"generator/source/schemas/{schema.relative_to(REPO / 'schemas').as_posix()}"
            data = wheel.read(name)
            assert data == schema.read_bytes(), name
            assert json.loads(data)["$schema"]
        assert "generator/commands/cli.py" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("tests/")]
        info = f"sales_playbook-{VERSION}.dist-info"
        assert wheel.read(f"{info}/licenses/LICENSE") == (REPO / "LICENSE").read_bytes()
        metadata = wheel.read(f"{info}/METADATA").decode()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert "License-Expression: MIT" in metadata
    assert f"Version: {VERSION}" in metadata
    assert "playbook = generator.commands.cli:run" in entry_points
    assert "playbook = generator.site.plugin:PlaybookPlugin" in entry_points


def test_the_sdist_holds_the_schemas_as_files_and_the_licence(dists: Dists) -> None:
    top = f"sales_playbook-{VERSION}"
    with tarfile.open(dists.sdist) as sdist:
        members = {m.name: m for m in sdist.getmembers()}
    for name in ("LICENSE", "README.md", "pyproject.toml", "PKG-INFO",
                 "generator/source/schemas/asset.schema.json",
                 "generator/source/schemas/output/problems.schema.json"):
        assert members[f"{top}/{name}"].isfile(), name
    assert not [m for m in members.values() if m.issym() or m.islnk()]


def test_twine_check_strict_passes(dists: Dists) -> None:
    result = _run([sys.executable, "-m", "twine", "check", "--strict", dists.wheel, dists.sdist],
                  cwd=dists.wheel.parent)
    assert result.stdout.count("PASSED") == 2, result.stdout


# ---------------------------------------------------------------- what the package index shows


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets += [value or "" for name, value in attrs if name in {"href", "src"}]


def _targets(markdown: str) -> list[str]:
    """Every link and picture of Markdown, rendered as the index renders it (GitHub's Markdown)."""
    parser = _Links()
    parser.feed(cmarkgfm.github_flavored_markdown_to_html(markdown))
    return parser.targets


def test_the_readme_on_the_index_has_absolute_links_and_pictures(dists: Dists) -> None:
    """The index shows the package's README away from the repository: a relative link or picture
    (or a bare #anchor) would lead nowhere, so the package carries a copy with absolute ones."""
    with zipfile.ZipFile(dists.wheel) as wheel:
        metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        text = wheel.read(metadata).decode("utf-8")
    assert "Description-Content-Type: text/markdown" in text
    description = text.split("\n\n", 1)[1]
    targets = _targets(description)
    relative = [t for t in targets if not t.startswith(("https://", "http://", "mailto:"))]
    assert targets and not relative, relative
    assert f"{REPOSITORY}/raw/main/docs/images/stage-page.png" in targets
    assert f"{REPOSITORY}/blob/main/CONTRIBUTING.md" in targets
    assert f"{REPOSITORY}#rules" in targets
    # Nothing else differs from the README.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(description.splitlines()) == len(readme.splitlines())


def test_the_readmes_own_links_lead_to_files_of_the_repository() -> None:
    """In the repository the README's links stay relative, and each names a file that exists."""
    missing = [t for t in _targets((REPO / "README.md").read_text(encoding="utf-8"))
               if not t.startswith(("https://", "http://", "mailto:", "#")) and not (REPO / t.split("#")[0]).exists()]
    assert not missing, missing


def test_the_changelog_describes_this_version() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(VERSION)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M), VERSION
    assert f"[{VERSION}]: {REPOSITORY}/releases/tag/v{VERSION}" in changelog


# ---------------------------------------------------------------- installed, outside the repository


def test_the_installed_package_is_the_wheels(installed: Installed) -> None:
    result = _run([installed.bin / "python", "-c", "import generator, sys; print(generator.__file__, sys.prefix)"],
                  cwd=installed.work)
    where, prefix = result.stdout.split()
    assert Path(where).is_relative_to(prefix) and not Path(where).is_relative_to(REPO)
    result = _run([installed.bin / "python", "-m", "pip", "list", "--format=json"], cwd=installed.work)
    assert {p["name"] for p in json.loads(result.stdout)} >= {"sales-playbook", "mkdocs", "mkdocs-material"}


def test_playbook_help(installed: Installed) -> None:
    result = _run([installed.bin / "playbook", "--help"], cwd=installed.work)
    assert "validate" in result.stdout and "render" in result.stdout and "init" in result.stdout


def test_a_repository_from_playbook_init_validates_and_builds_strict(installed: Installed) -> None:
    # What a new company does first, with nothing but the installed package: its starter files
    # come from the wheel.
    _run([installed.bin / "playbook", "init", "acme"], cwd=installed.work)
    project = installed.work / "acme"
    for name in ("mkdocs.yml", "docs/index.md", "playbook/playbook.yaml", "schemas/asset.schema.json",
                 ".github/workflows/pull-request.yml"):
        assert (project / name).is_file(), name
    assert 'site_name: "Acme Sales Playbook"' in (project / "mkdocs.yml").read_text(encoding="utf-8")
    _run([installed.bin / "playbook", "validate", "playbook"], cwd=project)
    _run([installed.bin / "mkdocs", "build", "--strict"], cwd=project)
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Acme Sales Playbook</title>" in index


SITE_NAME = "Tallybright Sales Playbook"
MKDOCS_YML = f"""site_name: {SITE_NAME}
theme:
  name: material
  font: false
plugins:
  - search
  - playbook:
      playbook: playbook
"""


def test_the_default_playbook_validates_and_builds_strict(installed: Installed) -> None:
    # Every kind of page, made by the installed package from this repository's full playbook.
    project = installed.work / "tallybright"
    shutil.copytree(REPO / "playbook", project / "playbook")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text(f"# {SITE_NAME}\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    _run([installed.bin / "playbook", "validate", "playbook"], cwd=project)
    _run([installed.bin / "mkdocs", "build", "--strict"], cwd=project)
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{SITE_NAME}</title>" in index
    # The package's own theme files and generated pages are served with the site.
    assert (project / "site" / "glossary" / "index.html").is_file()
    assert list((project / "site").rglob("playbook.js"))
