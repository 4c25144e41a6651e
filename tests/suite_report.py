"""A pytest plugin that says, after every run, what the generated suites tried.

The mutation, nothing-lost and attack suites count what they try in a `Tally`; this plugin
prints one line per suite in pytest's terminal summary, so the counts show in a normal run
(with or without `-s`, with `-ra`), e.g.

    mutation: 300 damaged playbooks (42 through a subprocess), 0 tracebacks, 0 failed checks

conftest.py loads the hooks (suite_summary.py); test modules count with `Tally`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    """Counts for one suite, and the line that reports them (a str.format template)."""

    suite: str
    template: str
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        TALLIES[self.suite] = self

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def line(self) -> str:
        return f"{self.suite}: " + self.template.format_map(_Zero(self.counts))


class _Zero(dict[str, Any]):
    def __init__(self, counts: Counter[str]) -> None:
        super().__init__(counts)

    def __missing__(self, key: str) -> int:
        return 0


TALLIES: dict[str, Tally] = {}
