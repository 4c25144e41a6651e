"""A long list of files read on every core: most of the time of `playbook validate` on a large
playbook goes to reading its files one by one, and each file is read alone.

The work is shared with processes forked from this one, so they start at once with everything
imported. The items are cut into runs; the other processes take runs from the front, this one
from the back, until they meet. Each hands back what it made run by run, as it goes, through a
file of its own (so that no process waits for another to read), and this process takes it in
between its own runs, so that what it costs to take it in is shared out like the runs. Nothing
depends on which process read what: the results come back in the order of the items. Where
processes cannot be forked safely (one core, another system, or other threads running, as
under `mkdocs serve`), or a process fails, the items are worked on here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Fewer items than this are read here: forking and handing results back cost more than it saves.
MIN_ITEMS = 1000
# Processes at most, this one included.
MAX_PROCESSES = 4
# How many processes to use, instead of one per core: "1" (or "0") reads every file in this one.
SETTING = "PLAYBOOK_PROCESSES"
# Runs of items per process: enough that processes end together, few enough that taking each
# costs nothing.
RUNS_PER_PROCESS = 40


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


def shared(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
           meanwhile: Callable[[], None] | None = None) -> list[Result]:
    """work(items), with the items shared between processes when that is worth it and safe.

    work must be a function that takes a list of items and returns one result for each, in
    order, and whose results can be pickled. meanwhile, if given, is called once, here, before
    this process takes any run (the other processes are working by then): work of this
    process's own that needs none of the results.

    The items are cut into runs, in order. The other processes take runs from the first on, and
    this one from the last back, each taking the next run nobody has begun, until they meet; so
    all end at about the same time, though files differ in size. Each other process hands back
    what it made run by run (see _Helper)."""
    count = processes(len(items))
    if count == 1:
        if meanwhile is not None:
            meanwhile()
        return work(items)
    size = max(1, -(-len(items) // (count * RUNS_PER_PROCESS)))
    runs = [list(items[start:start + size]) for start in range(0, len(items), size)]
    results: list[list[Result] | None] = [None] * len(runs)
    context = multiprocessing.get_context("fork")
    try:  # the first run nobody has begun from the front, and the one past the last from the back
        ends = context.RawArray("l", [0, len(runs)])
        lock = context.Lock()
    except OSError:  # no shared memory or semaphores here (some containers): all is worked on here
        if meanwhile is not None:
            meanwhile()
        return work(items)

    def take(front: bool) -> int | None:
        with lock:
            if ends[0] >= ends[1]:
                return None
            ends[0 if front else 1] += 1 if front else -1
            return int(ends[0] - 1 if front else ends[1])

    for stream in (sys.stdout, sys.stderr):  # what a new process writes out at its end must be its own
        with contextlib.suppress(Exception):
            stream.flush()
    helpers: list[_Helper] = []
    for _ in range(count - 1):
        try:
            helper = _Helper(context, work, runs, take)
        except OSError:  # no more files may be opened, or no process could be started: worked on here
            break
        helpers.append(helper)
    try:
        if meanwhile is not None:
            meanwhile()
        while (place := take(front=False)) is not None:
            results[place] = work(runs[place])
            for helper in helpers:
                helper.take_into(results, wait=False)
    except BaseException:  # the work failed here (or meanwhile), or was stopped: the others stop too
        for helper in helpers:
            helper.stop()
        raise
    for helper in helpers:
        helper.take_into(results, wait=True)
    merged: list[Result] = []
    for place, run in enumerate(runs):  # a run no process finished is worked on here
        done = results[place]
        merged.extend(done if done is not None and len(done) == len(run) else work(run))
    return merged


class _Helper:
    """Another process, and what it hands back. Each run it makes is written to a spool file of
    its own, which never makes it wait, and only where the run is in that file goes through the
    pipe: a run of files read is a few hundred kilobytes, and a pipe holds less, so a process
    handing it over the pipe waited until this one, busy with its own runs, read it. This
    process takes what has come in between its own runs (take_into), so the time it takes to
    unpickle is shared out as the runs are."""

    def __init__(self, context: Any, work: Callable[[Sequence[Any]], list[Any]], runs: list[list[Any]],
                 take: Callable[[bool], int | None]) -> None:
        self.receive, send = context.Pipe(duplex=False)
        try:
            self.spool: Any = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the process's pipe)
        except OSError:  # no file can be made: the runs go through the pipe
            self.spool = None
        self.process = context.Process(target=_help, args=(work, runs, take, send, self.spool), daemon=True)
        try:
            self.process.start()
        except OSError:
            self.close()
            raise
        finally:
            send.close()

    def take_into(self, results: list[Any], wait: bool) -> None:
        """Each run handed back so far in its place in results; with wait, every run, until the
        process has ended. A run that cannot be read (its process died while writing it) is left
        out: it is worked on again."""
        with contextlib.suppress(EOFError, OSError):  # closed: the process ended, or died
            while wait or self.receive.poll():
                message = self.receive.recv_bytes()
                with contextlib.suppress(Exception):
                    if self.spool is not None:
                        offset, length = pickle.loads(message)
                        message = os.pread(self.spool.fileno(), length, offset)
                    place, done = pickle.loads(message)
                    results[place] = done
        if wait:
            self.process.join()
            self.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5)
        self.close()

    def close(self) -> None:
        self.receive.close()
        if self.spool is not None:
            self.spool.close()


def helping() -> bool:
    """Whether this process is one of the others, forked to share work: it ends once the work is
    handed back, so what it makes need last no longer."""
    return _HELPING


_HELPING = False


def _help(work: Callable[[Sequence[Item]], list[Result]], runs: list[list[Item]],
          take: Callable[[bool], int | None], send: Any, spool: Any) -> None:
    """A process's part: runs from the front while any is left, each handed back once made, to
    the spool file with its place through the pipe, or through the pipe itself."""
    global _HELPING
    _HELPING = True
    written = 0
    try:
        while (place := take(True)) is not None:
            made = pickle.dumps((place, work(runs[place])), pickle.HIGHEST_PROTOCOL)
            if spool is not None:
                spool.write(made)
                spool.flush()
                send.send_bytes(pickle.dumps((written, len(made))))
                written += len(made)
            else:
                send.send_bytes(made)
    except (OSError, KeyboardInterrupt):  # the first process is gone, or the person stopped the command
        os._exit(1)
    except Exception:  # the run that failed is worked on again by the first process
        pass
    try:
        send.close()
    except (OSError, KeyboardInterrupt):
        os._exit(1)
