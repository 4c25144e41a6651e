"""A long list of files read on every core: most of the time of `playbook validate` on a large
playbook goes to reading its files one by one, and each file is read alone.

The work is shared with processes forked from this one, so they start at once with everything
imported; each takes every n-th item and hands back what it made, and this process takes its
own share meanwhile. Nothing depends on which process read what: the results come back in the
order of the items. Where processes cannot be forked safely (one core, another system, or other
threads running, as under `mkdocs serve`), or a process fails, the items are worked on here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Fewer items than this are read here: forking and handing results back cost more than it saves.
MIN_ITEMS = 1000
# Processes at most, this one included.
MAX_PROCESSES = 4
# How many processes to use, instead of one per core: "1" (or "0") reads every file in this one.
SETTING = "PLAYBOOK_PROCESSES"


def processes(items: int) -> int:
    """How many processes, this one included, to share a list of so many items between."""
    if items < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    # Forking while another thread holds a lock would leave the lock held in the new process.
    if threading.active_count() > 1:
        return 1
    wanted = os.environ.get(SETTING, "").strip()
    if wanted.isdigit():  # as many as asked for, on any machine
        return max(1, min(int(wanted), MAX_PROCESSES))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PROCESSES))


def shared(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item]) -> list[Result]:
    """work(items), with the items shared between processes when that is worth it and safe.

    work must be a module-level function that takes a list of items and returns one result for
    each, in order, and whose results can be pickled."""
    count = processes(len(items))
    if count == 1:
        return work(items)
    shares = [list(items[start::count]) for start in range(count)]
    results: list[list[Result] | None] = [None] * count
    futures: list[Future[list[Result]]] = []
    try:
        with ProcessPoolExecutor(max_workers=count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(work, share) for share in shares[1:]]
            results[0] = work(shares[0])
            for place, future in enumerate(futures, start=1):
                try:
                    results[place] = future.result()
                except Exception:  # the process failed or died: its share is read here
                    results[place] = None
    except OSError:  # no process could be started
        pass
    for place, share in enumerate(shares):
        if results[place] is None or len(results[place] or ()) != len(share):
            results[place] = work(share)
    merged: list[Result] = []
    for index in range(len(items)):
        part = results[index % count]
        assert part is not None
        merged.append(part[index // count])
    return merged
