"""The pytest plugin that prints what the generated suites tried (see suite_report)."""

from __future__ import annotations

from typing import Any

import pytest
from suite_report import TALLIES


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    used = [tally for tally in TALLIES.values() if tally.counts]
    if not used:
        return
    terminalreporter.section("what the generated suites tried")
    for tally in used:
        terminalreporter.write_line(tally.line())
