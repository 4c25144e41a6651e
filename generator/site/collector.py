"""Python's cycle collector under `mkdocs serve`: paused while a rebuild runs, and run in full
just after, once the page rebuilt has been served.

A rebuild makes hundreds of thousands of objects while the playbook's files and pages are kept
from the last one, and the collector went through them all again and again (a twelfth of a
rebuild at 10,000 entities): it is paused while a rebuild runs. Turned back on at the end, it
soon went through everything the process holds, 0.4-0.9 s at 10,000 entities, often at once,
while the page just rebuilt was being asked for: one save in four or five showed that much late.

So at the end of a rebuild what the process holds is set aside (gc.freeze): collections walk
only what is made after it. Once no rebuild has started for IDLE_SECONDS (the page is served
by then), all is given back to the collector and collected in full, so that what earlier builds
left in cycles is freed. When saves keep coming faster than that, the full collection is made at
the end of every OVERDUE-th rebuild in a row, so memory stays bounded. A program that turned the
collector off keeps it off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

IDLE_SECONDS = 0.5
OVERDUE = 4


class Collector:
    """Pauses the cycle collector around rebuilds (around), and collects while the server idles."""

    def __init__(self, idle: float = IDLE_SECONDS, overdue: int = OVERDUE) -> None:
        self.idle, self.overdue = idle, overdue
        self._lock = threading.Lock()
        self._building = False
        self._timer: threading.Timer | None = None
        self._scheduled = 0  # which idle collection is the one waited for
        self.since = 0  # rebuilds since the last full collection
        self.collections = 0  # full collections made, for the tests

    def around(self, build: Callable[[], None]) -> None:
        """build(), with the collector paused, and set to collect in full once the server idles."""
        with self._lock:
            self._building = True
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        collecting = gc.isenabled()
        gc.disable()
        try:
            build()
        finally:
            with self._lock:
                self._building = False
                if collecting:
                    self._after_build()

    def _after_build(self) -> None:
        self.since += 1
        if self.since >= self.overdue:  # saves keep coming: collect now, while a page waits
            self._collect()
        else:
            gc.freeze()  # what the process holds now is not walked again until the server idles
            self._scheduled += 1
            self._timer = threading.Timer(self.idle, self._when_idle, (self._scheduled,))
            self._timer.daemon = True
            self._timer.start()
        gc.enable()

    def _when_idle(self, scheduled: int) -> None:
        with self._lock:
            if self._building or self._timer is None or scheduled != self._scheduled:
                return  # a rebuild began meanwhile: it sets a time of its own
            self._timer = None
            self._collect()

    def _collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        self.since = 0
        self.collections += 1

    def stop(self) -> None:
        """No collection is left waiting (the server stops); what was set aside is given back."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            gc.unfreeze()
