"""`playbook validate --format github|json`: annotations on the pull request's lines, and a
report for programs with a schema of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
from conftest import FIXTURES, REPO

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
FORGE = "nowhere%0A::error file=forged.yaml,line=1::forged"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def broken(tmp_path: Path) -> Path:
    """The mini playbook with a forging reference, a bad date and a passed review date."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")

    def edit(name: str, old: str, new: str) -> None:
        path = tmp_path / "playbook" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("assets/guide.yaml", "stages: [learning, adoption]", f'stages: [learning, "{FORGE}"]')
    edit("lifecycle/lead.yaml", "date: 2026-01-15", "date: 2026-02-30")
    edit("personas/buyer.yaml", "review_by: 2027-06-30", "review_by: 2026-01-05")
    return tmp_path


def test_github_annotations_line_by_line(tmp_path: Path) -> None:
    result = run("validate", "--format", "github", cwd=broken(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=playbook/assets/guide.yaml,line=5,col=20,title=stages[1] [invalid-id]::'nowhere%250A::error "
        "file=forged.yaml,line=1::forged' is not a valid id: use lower-case letters, digits and single hyphens, "
        "e.g. 'roi-calculator'",
        "::error file=playbook/lifecycle/lead.yaml,line=20,col=9,title=agreed_by.date [invalid-date]::'2026-02-30' is "
        "not a "
        "date: write it as YYYY-MM-DD, e.g. 2027-03-31",
        "::warning file=playbook/personas/buyer.yaml,line=14,col=12,title=review_by [review-overdue]::review overdue: "
        "2026-01-05 "
        "passed 322 days ago; check the persona against recent deals, then set the next review date",
    ]
    assert result.stderr == "2 problems in playbook; fix them and run again.\n"


def test_no_value_forges_an_annotation(tmp_path: Path) -> None:
    out = run("validate", "--format", "github", cwd=broken(tmp_path)).stdout
    lines = out.splitlines()
    assert len(lines) == 3 and all(line.startswith(("::error file=playbook/", "::warning file=playbook/"))
                                   for line in lines)
    # The forged text is there, inside the message: GitHub reads commands only at a line's start.
    assert "forged.yaml" in out and not any(line.startswith("::error file=forged") for line in lines)
    # GitHub decodes %0A in an annotation as a line break: a written %0A must arrive as %250A.
    assert "%0A" not in out.replace("%250A", "")


def test_json_report_has_its_schema(tmp_path: Path) -> None:
    schema = json.loads((REPO / "schemas" / "output" / "problems.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    result = run("validate", "--format", "json", cwd=broken(tmp_path))
    assert result.returncode == 1 and result.stderr == ""
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema)
    assert (report["errors"], report["warnings"], report["counts"]) == (2, 1, None)
    assert [(p["file"], p["line"], p["path"], p["severity"], p["rule"]) for p in report["problems"]] == [
        ("playbook/assets/guide.yaml", 5, "stages[1]", "error", "invalid-id"),
        ("playbook/lifecycle/lead.yaml", 20, "agreed_by.date", "error", "invalid-date"),
        ("playbook/personas/buyer.yaml", 14, "review_by", "warning", "review-overdue")]
    assert FORGE in report["problems"][0]["message"]
    clean = run("validate", "--format", "json", cwd=REPO)
    report = json.loads(clean.stdout)
    jsonschema.validate(report, schema)
    assert clean.returncode == 0 and report["errors"] == 0 and report["counts"]["assets"] >= 25
