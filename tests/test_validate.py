"""Validation through the real `playbook` command: every bad-input case gives its exact report."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

BAD = Path(__file__).resolve().parent / "bad"
PLAYBOOK = str(Path(sys.executable).parent / "playbook")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def bad_project(case: Path, tmp_path: Path) -> Path:
    """The mini playbook with the case's files laid over it."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    for source in case.rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = tmp_path / "playbook" / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return tmp_path


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_bad_input_gives_exact_report(case: str, tmp_path: Path) -> None:
    project = bad_project(BAD / case, tmp_path)
    result = run("validate", "playbook", cwd=project)
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    count = len(expected.splitlines())
    assert result.stderr.strip() == f"{count} problem{'s' if count != 1 else ''} in playbook; fix them and run again."


def test_every_problem_reported_at_once_sorted(tmp_path: Path) -> None:
    project = bad_project(BAD / "many-problems", tmp_path)
    lines = run("validate", "playbook", cwd=project).stdout.splitlines()
    files = [line.split(":")[0] for line in lines]
    assert len(set(files)) == 4
    keys = [(f, int(line.split(":")[1]), int(line.split(":")[2])) for f, line in zip(files, lines, strict=True)]
    assert keys == sorted(keys)


def test_clean_playbook_prints_one_line_summary(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ("playbook: 11 files checked, no problems: 2 stages, 2 lifecycle states, "
                             "1 handoffs, 2 terms, 1 personas, 1 assets, 1 metrics.\n")


def test_default_playbook_is_clean_and_complete() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "playbook"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    summary = result.stdout.splitlines()[-1]
    counts = {kind: int(n) for n, kind in
              (part.split(" ", 1) for part in re.split(r"no problems[^:]*: ", summary)[1].rstrip(".").split(", "))}
    assert counts["stages"] >= 5 and counts["terms"] >= 30 and counts["personas"] >= 4
    assert counts["assets"] >= 25 and counts["metrics"] >= 6 and counts["lifecycle states"] >= 9


def test_missing_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run("validate", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "nowhere:1:1: no playbook folder here: give the folder that holds playbook.yaml\n"


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run("publish", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'publish'" in result.stderr


def test_funnel_lint_catches_a_gap_planted_back_in_the_default_playbook(tmp_path: Path) -> None:
    """The default playbook passes the funnel lint; without the handoff that returns an SQL to
    marketing, the move from sql (sales) to nurture (marketing) has no handoff, and it says so."""
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    (tmp_path / "playbook" / "handoffs" / "sql-to-nurture.yaml").unlink()
    result = run("validate", "playbook", cwd=tmp_path)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    assert problems == [
        "playbook/lifecycle/sql.yaml:33:5: next_states[1]: moving from 'sql' (sales) to 'nurture' (marketing) "
        "changes the owning team, but no handoff says how: add a handoff from sql to nurture, with a service "
        "level and an escalation",
        "playbook/lifecycle/sql.yaml:34:5: next_states[2]: moving from 'sql' (sales) to 'disqualified' "
        "(marketing) changes the owning team, but no handoff says how: add a handoff from sql to disqualified, "
        "with a service level and an escalation"]
