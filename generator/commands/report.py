"""How `playbook validate` prints what it found: for people (text), for GitHub's pull-request
view (workflow annotations on the lines of the diff) and for programs (JSON, with a schema in
schemas/output/problems.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..source.problems import Problem, printable

FORMATS = ("text", "json", "github")


def github_annotation(problem: Problem) -> str:
    """`::error file=…,line=…,col=…,title=path [rule-id]::message`, one line whatever the text holds.

    GitHub reads `%`, CR and LF in an annotation as escapes (`%25`, `%0D`, `%0A`), and `:` and `,`
    in its properties as separators; each is written as its escape, and every other control or
    format character as a printable escape first, so no value can end the annotation or start
    another one.
    """
    level = "warning" if problem.warning else "error"
    properties = ",".join(f"{key}={_property(value)}" for key, value in (
        ("file", problem.file), ("line", str(problem.line)), ("col", str(problem.column)),
        ("title", f"{problem.path or 'playbook'} [{problem.rule}]")))
    return f"::{level} {properties}::{_data(problem.message)}"


def _data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def json_report(root: str, files: int, problems: Sequence[Problem], counts: dict[str, int] | None) -> str:
    """Every problem with its place and the id of its rule, the totals, and (when there is no
    error) the playbook's size."""
    report: dict[str, Any] = {
        "format": 1,
        "playbook": root,
        "files_checked": files,
        "errors": sum(not p.warning for p in problems),
        "warnings": sum(p.warning for p in problems),
        "problems": [{"file": p.file, "line": p.line, "column": p.column, "path": p.path,
                      "message": p.message, "severity": p.severity, "rule": p.rule} for p in problems],
        "counts": counts,
    }
    return json.dumps(report, ensure_ascii=False, indent=2)
