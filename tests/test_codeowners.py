"""`playbook codeowners`: CODEOWNERS from the reviewers in playbook.yaml, and validation failing
when the committed file is out of date."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_mkdocs

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
EXPECTED = """# Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again.

# Agreed definitions, shared goals, stages and the playbook's settings: both teams.
/playbook/ @acme/sellers @sam @acme/marketers
/playbook/lifecycle/ @acme/sellers @sam @acme/marketers
/playbook/handoffs/ @acme/sellers @sam @acme/marketers
/playbook/metrics/ @acme/sellers @sam @acme/marketers
/playbook/stages/ @acme/sellers @sam @acme/marketers

# Assets, terms and personas: the team that owns each (both teams for a term owned by both).
/playbook/assets/guide.yaml @acme/marketers
/playbook/terms/contact.yaml @acme/sellers @sam
/playbook/terms/lead.yaml @acme/sellers @sam @acme/marketers
/playbook/personas/buyer.yaml @acme/marketers
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    settings = tmp_path / "playbook" / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    for team, handles in (("sales", '["@acme/sellers", "@sam"]'), ("marketing", '["@acme/marketers"]')):
        marker = f"  {team}:\n"
        assert marker in text
        text = text.replace(marker, f"{marker}    reviewers: {handles}\n")
    settings.write_text(text, encoding="utf-8")
    return tmp_path


def test_written_from_the_reviewers(project: Path) -> None:
    result = run("codeowners", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ".github/CODEOWNERS written: 9 lines of owners.\n"
    assert (project / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    assert run("codeowners", "--check", cwd=project).stdout == ".github/CODEOWNERS is up to date.\n"
    assert run("validate", cwd=project).returncode == 0


def test_out_of_date_fails_validation_and_the_build(project: Path) -> None:
    assert run("codeowners", cwd=project).returncode == 0
    guide = project / "playbook" / "assets" / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("owner: marketing", "owner: sales"), encoding="utf-8")
    result = run("validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (".github/CODEOWNERS:11:1: out of date with the playbook: run `playbook codeowners` "
                             "and commit the file\n")
    check = run("codeowners", "--check", cwd=project)
    assert check.returncode == 1 and check.stdout == result.stdout
    (project / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n  font: false\nplugins:\n"
                                        "  - playbook\nmarkdown_extensions: [attr_list, tables, toc]\n",
                                        encoding="utf-8")
    (project / "docs").mkdir()
    build = run_mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "CODEOWNERS:11:1: out of date" in build.stderr
    assert run("codeowners", cwd=project).returncode == 0
    assert run("validate", cwd=project).returncode == 0


def test_no_reviewers_no_file(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    result = run("codeowners", cwd=tmp_path)
    assert result.returncode == 1 and "declare no reviewers" in result.stderr
    assert not (tmp_path / ".github").exists()
    # A CODEOWNERS written by hand is not this command's: it is left alone and not checked.
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    assert run("validate", cwd=tmp_path).returncode == 0


def test_never_writes_through_a_link(project: Path, tmp_path: Path) -> None:
    (project / ".github").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    (project / ".github" / "CODEOWNERS").symlink_to(outside)
    result = run("codeowners", cwd=project)
    assert result.returncode == 1 and "is a link" in result.stderr
    assert outside.read_text(encoding="utf-8") == "keep\n"


def test_the_repository_file_is_current() -> None:
    result = run("codeowners", "--check", cwd=REPO)
    assert result.returncode == 0, result.stdout
