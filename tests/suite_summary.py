"""The pytest hooks that print what the generated suites tried (see suite_report), loaded by
conftest.py.

With `pytest -n` (pytest-xdist) the suites run in worker processes: each worker sends its counts
to the controller when it finishes, and the controller adds them up before printing.
"""

from __future__ import annotations

from typing import Any

import pytest
from suite_report import TALLIES, Tally

_KEY = "suite_tallies"


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output[_KEY] = {name: {"template": tally.template, "counts": dict(tally.counts)}
                               for name, tally in TALLIES.items() if tally.counts}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for name, sent in getattr(node, "workeroutput", {}).get(_KEY, {}).items():
        tally = TALLIES.get(name) or Tally(name, sent["template"])
        for what, n in sent["counts"].items():
            tally.add(what, n)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    used = [tally for tally in TALLIES.values() if tally.counts]
    if not used:
        return
    terminalreporter.section("what the generated suites tried")
    for tally in used:
        terminalreporter.write_line(tally.line())
