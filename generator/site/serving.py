"""What `mkdocs serve` does otherwise than a build: the last good site stays served while a
rebuild fails, and a rebuild does not wait for Pagefind's search index (nor for Python's cycle
collector: collector.py).

Indexing the whole site again after every save took a second on the default playbook and five at
10,000 entities, most of the wait from saving a file to seeing its page. Under `serve`, the index
of the site being served goes into each new build as it is (hard links, no copy), the page is
served at once, and Pagefind indexes the new site in the background into a folder of its own,
which takes the index's place once it is whole. A search made meanwhile finds the words of the
last index. A save that comes first stops the indexing: its own build starts another.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog import events, observers

from ..source.problems import printable
from .collector import Collector
from .static import PAGEFIND_DIR, PAGEFIND_TIMEOUT, index_whole, pagefind_command

log = logging.getLogger("mkdocs.plugins.playbook")

# Beside the index in the served site, while they are made or put away (hidden: not part of the site).
_NEXT, _OLD = ".pagefind-next", ".pagefind-old"


def keep_index(served: Path, building: Path) -> bool:
    """Put the served site's index into the new build, linked, not copied; False if there is none."""
    index = served / PAGEFIND_DIR
    if not index_whole(index):
        return False
    try:
        shutil.copytree(index, building / PAGEFIND_DIR, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(building / PAGEFIND_DIR, ignore_errors=True)
        return False
    return True


class Refresh:
    """Pagefind indexing a served site in the background, its index put in place when whole."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.stopped = threading.Event()
        shutil.rmtree(site / _NEXT, ignore_errors=True)
        self.process = subprocess.Popen(pagefind_command(site, site / _NEXT), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.thread = threading.Thread(target=self._finish, name="pagefind", daemon=True)
        self.thread.start()

    def _finish(self) -> None:
        try:
            try:
                _, said = self.process.communicate(timeout=PAGEFIND_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                _, said = self.process.communicate()
            if self.stopped.is_set():
                return
            fresh = self.site / _NEXT
            if self.process.returncode != 0 or not index_whole(fresh):
                log.warning("Pagefind could not index the site again; search answers from the last index: %s",
                            (said or "").strip()[-500:] or "no output")
                return
            _put_in_place(self.site, fresh)
            log.info("Pagefind indexed the site again")
        finally:
            shutil.rmtree(self.site / _NEXT, ignore_errors=True)

    def cancel(self) -> None:
        """Stop indexing at once, from any thread: a playbook file changed, so a rebuild is coming
        and the index would be of a site about to be replaced. At 10,000 entities Pagefind takes
        both cores for seconds, and the rebuild waited for them until it began (stop)."""
        self.stopped.set()
        if self.process.poll() is None:
            with contextlib.suppress(OSError):  # it ended meanwhile
                self.process.kill()

    def stop(self) -> None:
        """Stop indexing (a new build is starting) and wait until the folders are tidy."""
        self.cancel()
        self.thread.join()


def _put_in_place(site: Path, fresh: Path) -> None:
    index, old = site / PAGEFIND_DIR, site / _OLD
    shutil.rmtree(old, ignore_errors=True)
    try:
        if index.exists():
            index.rename(old)
        fresh.rename(index)
    except OSError as err:
        log.warning("Pagefind's new index could not be put in place (%s); search answers from the last index",
                    err.strerror or err)
        if old.exists() and not index.exists():
            old.rename(index)
    shutil.rmtree(old, ignore_errors=True)


def keep_serving_after_failures(server: Any, collector: Collector) -> None:
    """Serve the last good site while a rebuild fails, instead of holding every request; each
    rebuild runs with Python's cycle collector paused (collector.py).

    MkDocs' server waits, before answering, until the build it was told of has finished; after a
    failed one it waits until a build succeeds ("the server will appear stuck"). Builds here are
    staged, so the last good site is intact: forget the failed build, and it is served until a fix.
    """
    if not all(hasattr(server, name) for name in ("builder", "_epoch_cond", "_visible_epoch", "_wanted_epoch")):
        return  # a MkDocs whose server works otherwise: keep its own behaviour
    build = server.builder

    def build_or_keep_the_last_site() -> None:
        try:
            collector.around(build)
        except BaseException:  # MkDocs' Abort is a SystemExit
            with server._epoch_cond:
                server._wanted_epoch = server._visible_epoch
                server._epoch_cond.notify_all()
            log.info("The last good site is still served; it is replaced when the build succeeds.")
            raise

    server.builder = build_or_keep_the_last_site


# What a change to a file is, as the system tells it. Opening and reading a file is not one (a
# build reads every file): those are not even asked of the system, which would send two notices
# for each file read, 20,000 a rebuild at 10,000 entities, each handled here.
_CHANGES = (events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
            events.FileClosedEvent)


class _Rebuild(events.FileSystemEventHandler):
    """Tells MkDocs' server that a file of the folder changed, as its own watcher does."""

    def __init__(self, watching: _Watching) -> None:
        self.watching = watching
        self.seen = 0  # notices handled

    def on_any_event(self, event: events.FileSystemEvent) -> None:
        self.seen += 1
        if event.is_directory:  # the folder itself deleted: the system stops reporting on it
            if event.event_type == "deleted" and os.fsdecode(event.src_path) == self.watching.path:
                self.watching.gone()
        elif isinstance(event, _CHANGES):
            self.watching.changed()


class _Returns(events.FileSystemEventHandler):
    """Watches the folder's parent, not its files, for the folder going and coming back (a branch
    checked out that lacks it, a folder put back from a copy)."""

    def __init__(self, watching: _Watching) -> None:
        self.watching = watching

    def on_any_event(self, event: events.FileSystemEvent) -> None:
        path = self.watching.path
        if not event.is_directory:
            return
        if event.event_type == "moved" and os.fsdecode(event.src_path) == path:
            self.watching.gone()
        if os.fsdecode(event.dest_path if event.event_type == "moved" else event.src_path) == path:
            self.watching.back()


class _Watching:
    """The playbook folder watched as the system reports its changes, for one server."""

    def __init__(self, server: Any, folder: Path, changing: Callable[[], None] | None = None) -> None:
        self.server, self.path, self.changing = server, str(folder), changing
        self.observer = observers.Observer()
        self.files = _Rebuild(self)
        self.watch: Any = None
        self.observer.schedule(_Returns(self), str(folder.parent), event_filter=[
            events.DirCreatedEvent, events.DirMovedEvent])
        self._watch_files()

    def _watch_files(self) -> None:
        self.watch = self.observer.schedule(self.files, self.path, recursive=True,
                                            event_filter=[*_CHANGES, events.DirDeletedEvent])

    def changed(self) -> None:
        if self.changing is not None:
            self.changing()
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def gone(self) -> None:
        if self.watch is not None:
            self.observer.unschedule(self.watch)
            self.watch = None
        self.changed()  # the rebuild says the folder is missing

    def back(self) -> None:
        if self.watch is None:
            try:
                self._watch_files()
            except OSError as err:
                log.warning("%s is back but cannot be watched (%s): restart mkdocs serve",
                            printable(Path(self.path).name), printable(str(err.strerror or err)))
        self.changed()


def watch_playbook(server: Any, folder: Path, changing: Callable[[], None] | None = None) -> Any:
    """Rebuild when a file under folder changes, as the system reports it, calling changing first
    (in the watcher's thread); returns the watcher to stop when serving ends, or None where
    MkDocs' own watcher took the folder.

    MkDocs looks for changes by listing every watched file twice a second. At 10,000 files each
    look took a seventh of a second, holding the interpreter: a change was seen a quarter of a
    second late on average, and a rebuild went a fifth slower while the looks went on. The
    system's own notice (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows)
    costs nothing while nothing changes. The folder's parent is watched too, for the folder itself
    being deleted or moved and put back. Where the system cannot report changes (no such service,
    the limit of watches reached, or a watchdog too old to ask only for changes), or MkDocs'
    server has another shape, the folder is watched as MkDocs watches the docs folder."""
    if all(hasattr(server, name) for name in ("_rebuild_cond", "_want_rebuild")):
        try:
            watching = _Watching(server, folder, changing)
            watching.observer.start()
        except (OSError, RuntimeError, TypeError) as err:
            log.info("Watching %s by listing it (%s)", printable(folder.name),
                     printable(" ".join(str(err).split())[:200]))
        else:
            log.info("Watching %s as the system reports its changes", printable(folder.name))
            return watching.observer
    server.watch(str(folder))
    return None


def stop_watching(observer: Any) -> None:
    """Stop a watcher watch_playbook started (None: nothing to stop)."""
    if observer is not None:
        observer.stop()
        observer.join(5)

